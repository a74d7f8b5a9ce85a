package main

import (
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// smallRun writes a three-scenario run of the test world into a
// temporary folder once per test binary and returns it.
var smallRunDir string

func smallRun(t *testing.T) string {
	t.Helper()
	if smallRunDir != "" {
		return smallRunDir
	}
	dir, err := os.MkdirTemp("", "listetak-report-")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,1aix,1aiix",
		"-reps", "20", "-years", "10", "-seed", "3", "-workers", "2", "-progress", "never", "-out", out); err != nil {
		t.Fatal(err)
	}
	smallRunDir = out
	return out
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if smallRunDir != "" {
		os.RemoveAll(filepath.Dir(smallRunDir))
	}
	os.Exit(code)
}

// TestReportCommand renders the report of a small three-scenario run in
// both languages and checks its files and structure.
func TestReportCommand(t *testing.T) {
	run := smallRun(t)
	for _, lang := range []string{"en", "nb"} {
		out := filepath.Join(t.TempDir(), "r.html")
		stdout, _, err := runCLI(t, "report", run, "-lang", lang, "-out", out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stdout, out) {
			t.Errorf("report printed %q", stdout)
		}
		h := readFile(t, out)
		md := readFile(t, strings.TrimSuffix(out, ".html")+".md")
		pngs, _ := filepath.Glob(filepath.Join(strings.TrimSuffix(out, ".html")+"_figures", "*.png"))
		// 4 fans, 3 differences, the list-length histogram, 2 x 3
		// distribution panels.
		const figures = 14
		if n := strings.Count(h, "<figure "); n != figures {
			t.Errorf("%s: %d figures, want %d", lang, n, figures)
		}
		if len(pngs) != figures || strings.Count(md, "![") != figures {
			t.Errorf("%s: %d PNG files and %d Markdown images, want %d", lang, len(pngs), strings.Count(md, "!["), figures)
		}
		for _, id := range []string{"run", "summary", "capacity", "effects", "lists", "distribution", "parameters"} {
			if !strings.Contains(h, `<section id="`+id+`">`) {
				t.Errorf("%s: no section %s", lang, id)
			}
		}
		// Three scenario tables, two difference tables, two distribution
		// tables per reform.
		if n := strings.Count(h, "<caption><b>"); n != 3+2+4 {
			t.Errorf("%s: %d numbered tables, want 9", lang, n)
		}
		if lang == "nb" && (!strings.Contains(h, "Innbyggere uten fastlege") || !strings.Contains(h, "\u2212") || !strings.Contains(h, ",") ||
			!strings.Contains(h, "I baseline går kapasiteten")) {
			t.Errorf("nb: Norwegian labels, minus signs or summary missing: %v %v %v", strings.Contains(h, "Innbyggere uten fastlege"), strings.Contains(h, "\u2212"), strings.Contains(h, "I baseline går kapasiteten"))
		}
	}
	// The default output paths.
	if _, _, err := runCLI(t, "report", run); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.html", "report.md", "report_figures/fan_capacity.png"} {
		if _, err := os.Stat(filepath.Join(run, f)); err != nil {
			t.Error(err)
		}
	}
	if _, _, err := runCLI(t, "report", run, "-lang", "de"); err == nil {
		t.Error("-lang de: no error")
	}
	if _, _, err := runCLI(t, "report", t.TempDir()); err == nil {
		t.Error("a folder without results: no error")
	}
}

// TestPlotCommand writes figures in each format and for one metric.
func TestPlotCommand(t *testing.T) {
	run := smallRun(t)
	magic := map[string]string{"png": "\x89PNG", "svg": "<?xml", "pdf": "%PDF-"}
	for format, m := range magic {
		out := filepath.Join(t.TempDir(), format)
		if _, _, err := runCLI(t, "plot", run, "-format", format, "-lang", "nb", "-out", out); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(out, "*."+format))
		if len(files) != 14 {
			t.Errorf("%s: %d figures, want 14", format, len(files))
		}
		for _, f := range files {
			if b := readFile(t, f); !strings.HasPrefix(b, m) {
				t.Errorf("%s does not start with %q", f, m)
			}
		}
	}
	out := filepath.Join(t.TempDir(), "one")
	stdout, _, err := runCLI(t, "plot", run, "-metric", "orphans,mean_list", "-scenario", "baseline,1aiix", "-out", out)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if strings.Join(names, " ") != "diff_mean_list.png diff_orphans.png fan_mean_list.png fan_orphans.png" {
		t.Errorf("plot -metric wrote %v (stdout %q)", names, stdout)
	}
	if _, _, err := runCLI(t, "plot", run, "-metric", "nonsense", "-out", out); err == nil {
		t.Error("unknown metric: no error")
	}
	if _, _, err := runCLI(t, "plot", run, "-format", "gif"); err == nil {
		t.Error("-format gif: no error")
	}
}

// TestPlotReportFit: a calibration's folder (fit.csv and estimates.yaml,
// no summary) gives a fit figure and table.
func TestPlotReportFit(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"fit.csv", "estimates.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(readFile(t, filepath.Join("testdata/fit", f))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := runCLI(t, "plot", dir, "-format", "svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "figures", "fit.svg")); err != nil {
		t.Error(err)
	}
	if _, _, err := runCLI(t, "report", dir, "-lang", "nb"); err != nil {
		t.Fatal(err)
	}
	h := readFile(t, filepath.Join(dir, "report.nb.html"))
	if !strings.Contains(h, `<section id="calibration">`) || strings.Count(h, "<figure ") != 1 || !strings.Contains(h, "1\u00a0097,5") {
		t.Error("the fit report lacks its section, figure or the observed 1 097,5")
	}
}

// TestReportChromium opens the HTML report in headless Chromium and takes
// a screenshot: the page must load and render to a non-trivial image. It
// is skipped without chromium unless LISTETAK_REQUIRE_CHROMIUM is set
// (CI sets it after scripts/chromium/install.sh).
func TestReportChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("LISTETAK_REQUIRE_CHROMIUM") != "" {
			t.Fatal("chromium not on PATH and LISTETAK_REQUIRE_CHROMIUM is set (run scripts/chromium/install.sh)")
		}
		t.Skip("chromium not on PATH (scripts/chromium/install.sh installs it; LISTETAK_REQUIRE_CHROMIUM=1 makes this a failure)")
	}
	run := smallRun(t)
	tmp := t.TempDir()
	page := filepath.Join(tmp, "report.html")
	if _, _, err := runCLI(t, "report", run, "-lang", "nb", "-out", page); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(tmp, "shot.png")
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--screenshot="+shot, "--window-size=1280,4000", "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 4000 {
		t.Errorf("screenshot is %v", b)
	}
	// A rendered page is mostly white with dark text and coloured figures:
	// count distinct colours and dark pixels on a grid.
	colours := map[[3]uint32]bool{}
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 12, g >> 12, bl >> 12}] = true
			if r+g+bl < 3*0x4000 {
				dark++
			}
		}
	}
	if len(colours) < 50 || dark < 2000 {
		t.Errorf("the screenshot looks blank: %d colours, %d dark pixels", len(colours), dark)
	}
	if os.Getenv("LISTETAK_KEEP_SCREENSHOT") != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(os.Getenv("LISTETAK_KEEP_SCREENSHOT"), data, 0o644)
	}
}
