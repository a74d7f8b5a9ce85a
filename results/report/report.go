package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font/liberation"

	"listetak/results"
	lplot "listetak/results/plot"
)

// Report is a report built from a run: its facts, summary, sections of
// tables and figures, and the parameters, in one language. WriteHTML and
// WriteMarkdown render it.
type Report struct {
	Run      *Run
	Lang     Lang
	Title    string
	Facts    [][2]string // the run: label and value
	Notes    []string    // how the world was built (the manifest's world notes)
	Summary  []string    // paragraphs
	Sections []Section
	Params   [][2]string // the appendix: parameter and value
	// Version is the listetak version that made the report.
	Version string
}

// Section is one section of a report: a texts key, its title, an
// optional introduction, and its tables and figures.
type Section struct {
	Key, Title string
	Intro      string
	Tables     []Table
	Figures    []Figure
}

// sectionOrder is the order of the report's sections.
var sectionOrder = []string{"hindcast", "capacity", "effects", "lists", "distribution", "sensitivity", "calibration"}

// Build makes the report of r: all of its figures (Figures with o's
// language, scenarios and year, and the default metrics), tables for the
// years o.TableYears (default 1, 5, 10 and 20 where the run has them, plus
// year 0 and the last year) and the generated summary. version is the
// listetak version that makes the report.
func Build(r *Run, o Options, version string) (*Report, error) {
	if o.Lang == "" {
		o.Lang = English
	}
	l := o.Lang
	figs, err := Figures(r, Options{Lang: l, Scenarios: o.Scenarios, Year: o.Year})
	if err != nil {
		return nil, err
	}
	want := o.TableYears
	if want == nil {
		want = []int{1, 5, 10, 20}
	}
	years := r.ReportYears(want)
	title := l.t("title") + ": " + filepath.Base(filepath.Clean(r.Dir))
	if r.AreaLabel != "" {
		title += ", " + r.AreaLabel
	}
	rep := &Report{Run: r, Lang: l, Title: title,
		Facts: runFacts(r, l), Summary: summaryText(r, o, l), Params: paramsOf(r.Manifest, l), Version: version}
	if r.Manifest != nil {
		rep.Notes = r.Manifest.WorldNotes
	}
	var tables []Table
	if len(r.Summary) > 0 {
		tables = append(tables, scenarioTables(r, o, l, years)...)
		tables = append(tables, diffTables(r, o, l, years)...)
	}
	if len(r.Dist) > 0 {
		tables = append(tables, distTables(r, o, l)...)
	}
	if len(r.Sens) > 0 {
		tables = append(tables, sensTables(r, l)...)
	}
	if len(r.Fit) > 0 {
		tables = append(tables, fitTable(r.Fit, r.FitSuppressed, l))
	}
	if len(r.Hindcast) > 0 {
		tables = append(tables, hindcastTables(r.Hindcast, l)...)
		hf, err := hindcastFigures(r.Hindcast, l)
		if err != nil {
			return nil, err
		}
		figs = append(figs, hf...)
		rep.Summary = append(rep.Summary, hindcastSummary(r.Hindcast, l)...)
	}
	for _, key := range sectionOrder {
		s := Section{Key: key, Title: l.t(key)}
		for _, t := range tables {
			if t.Section == key {
				s.Tables = append(s.Tables, t)
			}
		}
		for _, f := range figs {
			if f.Section == key {
				s.Figures = append(s.Figures, f)
			}
		}
		if key == "hindcast" && len(r.Hindcast) > 0 {
			s.Intro = l.t("hindcast intro")
		}
		if key == "capacity" {
			if r.DesignPoints > 1 {
				s.Intro = l.tf("design note", r.DesignPoints)
			}
			if len(r.Summary) == 0 && len(r.Hindcast) == 0 {
				s.Intro = l.t("no summary")
			}
		}
		if len(s.Tables)+len(s.Figures) > 0 || s.Intro != "" {
			rep.Sections = append(rep.Sections, s)
		}
	}
	return rep, nil
}

// figureSVG renders f as SVG for inlining in HTML: without the XML prolog,
// scaled to the page width, labelled by its caption, fonts left to the
// page (which embeds them once).
func figureSVG(f Figure, id string) (string, error) {
	var buf bytes.Buffer
	if err := lplot.Render(&buf, f.Plot, "svg", f.Width, f.Height, lplot.RenderOptions{}); err != nil {
		return "", fmt.Errorf("report: figure %s: %w", f.Name, err)
	}
	s := buf.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("report: figure %s: no <svg> element", f.Name)
	}
	s = s[i:]
	s = svgSize.ReplaceAllString(s, `<svg class="figure" role="img" aria-labelledby="`+id+`-caption" width="100%"`)
	return s, nil
}

// svgSize matches the size attributes of the root svg element.
var svgSize = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)

// fontCSS returns the @font-face rule that embeds the figures' font
// (Liberation Serif, as gonum/plot draws text) so that the inline SVG
// figures render with the metrics they were laid out with, on any
// machine.
var fontCSS = sync.OnceValue(func() string {
	var b strings.Builder
	for _, f := range liberation.Collection() {
		if f.Font.Typeface != "Liberation" || f.Font.Variant != "Serif" || f.Font.Style != xfont.StyleNormal {
			continue
		}
		weight := "normal"
		switch f.Font.Weight {
		case xfont.WeightNormal:
		case xfont.WeightBold:
			weight = "bold"
		default:
			continue
		}
		var raw bytes.Buffer
		if _, err := f.Face.WriteSourceTo(nil, &raw); err != nil {
			continue
		}
		fmt.Fprintf(&b, "@font-face{font-family:\"Liberation Serif\";font-style:normal;font-weight:%s;src:url(data:font/ttf;base64,%s) format(\"truetype\")}\n",
			weight, base64.StdEncoding.EncodeToString(raw.Bytes()))
	}
	return b.String()
})

// pageCSS styles the HTML report for screen and print.
const pageCSS = `body{font-family:"Liberation Serif",Georgia,serif;color:#1a1a1a;max-width:18cm;margin:2em auto;padding:0 1em;line-height:1.45;font-size:11pt}
h1{font-size:20pt;margin:0 0 .3em}
h2{font-size:15pt;border-bottom:1px solid #bbb;margin-top:1.8em;padding-bottom:.1em}
p.meta{color:#555;font-size:9.5pt}
nav ol{columns:2;font-size:10pt}
table{border-collapse:collapse;margin:.4em 0 1.4em;font-size:9.5pt;font-variant-numeric:tabular-nums;width:100%}
caption{caption-side:top;text-align:left;font-style:italic;margin-bottom:.35em;font-size:10pt}
th,td{padding:.22em .45em;border-bottom:1px solid #ddd;vertical-align:top}
thead th{border-bottom:1.5px solid #555;text-align:right;font-weight:bold}
thead th:first-child{text-align:left}
td{text-align:right}
tbody th{text-align:left;font-weight:normal;white-space:nowrap}
td .band{display:block;color:#555;font-size:85%}
table.kv td,table.kv th{text-align:left;font-weight:normal}
table.kv th{color:#555;white-space:nowrap;width:28%}
table.params td{text-align:left}
figure{margin:1em 0 1.6em;break-inside:avoid;page-break-inside:avoid}
figure svg.figure{display:block;max-width:16cm;height:auto;margin:0 auto}
figcaption{font-size:10pt;margin-top:.35em}
ul.notes{font-size:9.5pt;color:#333}
@page{size:A4;margin:15mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}nav{display:none}h2{break-after:avoid;page-break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}}
`

// esc escapes text for HTML.
func esc(s string) string { return html.EscapeString(s) }

// figureCount and tableCount number the figures and tables in order.
type counter struct{ fig, tab int }

// WriteHTML writes the report as one self-contained HTML page: figures
// inline as SVG, the figures' font embedded once, tables as HTML tables,
// a style for screen and A4 print, and no external resource.
func (rep *Report) WriteHTML(w io.Writer) error {
	l := rep.Lang
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + string(l) + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>" + esc(rep.Title) + "</title>\n<style>\n")
	b.WriteString(fontCSS())
	b.WriteString(pageCSS)
	b.WriteString("</style>\n</head>\n<body>\n<main>\n")
	b.WriteString("<h1>" + esc(rep.Title) + "</h1>\n")
	b.WriteString("<p class=\"meta\">" + esc(l.tf("generated", rep.Version, rep.Run.Dir)) + " " + esc(l.t("band explain")) + "</p>\n")

	// Contents.
	b.WriteString("<nav><h2>" + esc(l.t("contents")) + "</h2><ol>\n")
	b.WriteString("<li><a href=\"#run\">" + esc(l.t("run")) + "</a></li>\n")
	b.WriteString("<li><a href=\"#summary\">" + esc(l.t("summary")) + "</a></li>\n")
	for _, s := range rep.Sections {
		b.WriteString("<li><a href=\"#" + s.Key + "\">" + esc(s.Title) + "</a></li>\n")
	}
	if len(rep.Params) > 0 {
		b.WriteString("<li><a href=\"#parameters\">" + esc(l.t("parameters")) + "</a></li>\n")
	}
	b.WriteString("</ol></nav>\n")

	// The run.
	b.WriteString("<section id=\"run\">\n<h2>" + esc(l.t("run")) + "</h2>\n<table class=\"kv\">\n<tbody>\n")
	for _, kv := range rep.Facts {
		b.WriteString("<tr><th scope=\"row\">" + esc(kv[0]) + "</th><td>" + esc(kv[1]) + "</td></tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	if len(rep.Notes) > 0 {
		b.WriteString("<p>" + esc(l.t("world notes")) + ":</p>\n<ul class=\"notes\">\n")
		for _, n := range rep.Notes {
			b.WriteString("<li>" + esc(n) + "</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</section>\n")

	// Summary.
	b.WriteString("<section id=\"summary\">\n<h2>" + esc(l.t("summary")) + "</h2>\n")
	for _, p := range rep.Summary {
		b.WriteString("<p>" + esc(p) + "</p>\n")
	}
	b.WriteString("</section>\n")

	var n counter
	for _, s := range rep.Sections {
		b.WriteString("<section id=\"" + s.Key + "\">\n<h2>" + esc(s.Title) + "</h2>\n")
		if s.Intro != "" {
			b.WriteString("<p>" + esc(s.Intro) + "</p>\n")
		}
		for _, t := range s.Tables {
			n.tab++
			writeHTMLTable(&b, t, l.t("table")+" "+strconv.Itoa(n.tab)+": ", "")
		}
		for _, f := range s.Figures {
			n.fig++
			id := "figure-" + strconv.Itoa(n.fig)
			svg, err := figureSVG(f, id)
			if err != nil {
				return err
			}
			b.WriteString("<figure id=\"" + id + "\">\n")
			b.WriteString(svg)
			b.WriteString("<figcaption id=\"" + id + "-caption\"><b>" + esc(l.t("figure")+" "+strconv.Itoa(n.fig)) + ":</b> " + esc(f.Caption) + "</figcaption>\n</figure>\n")
		}
		b.WriteString("</section>\n")
	}

	if len(rep.Params) > 0 {
		b.WriteString("<section id=\"parameters\">\n<h2>" + esc(l.t("parameters")) + "</h2>\n")
		b.WriteString("<table class=\"params\">\n<caption>" + esc(l.t("param note")) + "</caption>\n<thead><tr>")
		for range 2 {
			b.WriteString("<th>" + esc(l.t("parameter")) + "</th><th>" + esc(l.t("value")) + "</th>")
		}
		b.WriteString("</tr></thead>\n<tbody>\n")
		half := (len(rep.Params) + 1) / 2
		for i := range half {
			b.WriteString("<tr>")
			for _, j := range []int{i, i + half} {
				if j < len(rep.Params) {
					b.WriteString("<td><code>" + esc(rep.Params[j][0]) + "</code></td><td>" + esc(rep.Params[j][1]) + "</td>")
				} else {
					b.WriteString("<td></td><td></td>")
				}
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</tbody>\n</table>\n</section>\n")
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHTMLTable writes t as an HTML table with its numbered caption.
func writeHTMLTable(b *strings.Builder, t Table, prefix, class string) {
	if class != "" {
		b.WriteString("<table class=\"" + class + "\">\n")
	} else {
		b.WriteString("<table>\n")
	}
	b.WriteString("<caption><b>" + esc(prefix) + "</b>" + esc(t.Caption) + "</caption>\n<thead><tr>")
	for _, h := range t.Head {
		b.WriteString("<th scope=\"col\">" + esc(h) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.Rows {
		b.WriteString("<tr>")
		for j, c := range row {
			if j == 0 {
				b.WriteString("<th scope=\"row\">" + esc(c.Main) + "</th>")
				continue
			}
			b.WriteString("<td>" + esc(c.Main))
			if c.Band != "" {
				b.WriteString("<span class=\"band\">" + esc(c.Band) + "</span>")
			}
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}

// mdEscape escapes the characters that would break a Markdown table cell
// or start markup.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "\n", " ").Replace(s)
}

// WriteMarkdown writes the report as Markdown: tables as pipe tables (a
// band in brackets after each median) and figures as images at
// figDir/NAME.png, a path relative to the Markdown file. The caller
// writes the figures there (see WriteFigures).
func (rep *Report) WriteMarkdown(w io.Writer, figDir string) error {
	l := rep.Lang
	var b strings.Builder
	b.WriteString("# " + mdEscape(rep.Title) + "\n\n")
	b.WriteString(mdEscape(l.tf("generated", rep.Version, rep.Run.Dir)) + " " + l.t("band explain") + "\n\n")
	b.WriteString("## " + l.t("run") + "\n\n")
	if len(rep.Facts) > 0 {
		b.WriteString("| | |\n|---|---|\n")
		for _, kv := range rep.Facts {
			b.WriteString("| " + mdEscape(kv[0]) + " | " + mdEscape(kv[1]) + " |\n")
		}
		b.WriteString("\n")
	}
	if len(rep.Notes) > 0 {
		b.WriteString(l.t("world notes") + ":\n\n")
		for _, n := range rep.Notes {
			b.WriteString("- " + mdEscape(n) + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("## " + l.t("summary") + "\n\n")
	for _, p := range rep.Summary {
		b.WriteString(mdEscape(p) + "\n\n")
	}
	var n counter
	for _, s := range rep.Sections {
		b.WriteString("## " + s.Title + "\n\n")
		if s.Intro != "" {
			b.WriteString(mdEscape(s.Intro) + "\n\n")
		}
		for _, t := range s.Tables {
			n.tab++
			b.WriteString("**" + l.t("table") + " " + strconv.Itoa(n.tab) + ":** " + mdEscape(t.Caption) + "\n\n")
			b.WriteString("|")
			for _, h := range t.Head {
				b.WriteString(" " + mdEscape(h) + " |")
			}
			b.WriteString("\n|")
			for j := range t.Head {
				if j == 0 {
					b.WriteString("---|")
				} else {
					b.WriteString("---:|")
				}
			}
			b.WriteString("\n")
			for _, row := range t.Rows {
				b.WriteString("|")
				for _, c := range row {
					cell := mdEscape(c.Main)
					if c.Band != "" {
						cell += " [" + mdEscape(c.Band) + "]"
					}
					b.WriteString(" " + cell + " |")
				}
				b.WriteString("\n")
			}
			b.WriteString("\n")
		}
		for _, f := range s.Figures {
			n.fig++
			label := l.t("figure") + " " + strconv.Itoa(n.fig)
			b.WriteString("![" + label + "](" + filepath.ToSlash(filepath.Join(figDir, f.Name+".png")) + ")\n\n")
			b.WriteString("**" + label + ":** " + mdEscape(f.Caption) + "\n\n")
		}
	}
	if len(rep.Params) > 0 {
		b.WriteString("## " + l.t("parameters") + "\n\n" + mdEscape(l.t("param note")) + "\n\n")
		b.WriteString("| " + l.t("parameter") + " | " + l.t("value") + " |\n|---|---:|\n")
		for _, kv := range rep.Params {
			b.WriteString("| `" + kv[0] + "` | " + mdEscape(kv[1]) + " |\n")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Figures returns every figure of the report, in order.
func (rep *Report) Figures() []Figure {
	var out []Figure
	for _, s := range rep.Sections {
		out = append(out, s.Figures...)
	}
	return out
}

// PNGDPI is the resolution of the PNG figures written for the Markdown
// report and by default by the plot command: 192 dots per inch, crisp on
// slides and high-density screens.
const PNGDPI = 192

// WriteFigures writes figs to dir (created if missing) as NAME.format
// (png, svg or pdf), each atomically, PNG at PNGDPI and SVG with embedded
// fonts, two at a time. It returns the paths written, in figs' order.
func WriteFigures(figs []Figure, dir, format string) ([]string, error) {
	format = strings.ToLower(format)
	switch format {
	case "png", "svg", "pdf":
	default:
		return nil, fmt.Errorf("report: unsupported figure format %q (want png, svg or pdf)", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	paths := make([]string, len(figs))
	errs := make([]error, len(figs))
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, f := range figs {
		paths[i] = filepath.Join(dir, f.Name+"."+format)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = lplot.SaveWith(f.Plot, paths[i], f.Width, f.Height, lplot.RenderOptions{DPI: PNGDPI, EmbedFonts: true})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	return paths, nil
}

// Write writes the report as the HTML page htmlPath and, beside it, the
// Markdown version (htmlPath with the extension .md) with its PNG figures
// in a folder named after it (report.html -> report.md and
// report_figures/). Every file is written atomically. It returns the
// paths of the Markdown file and the figure folder.
func (rep *Report) Write(htmlPath string) (mdPath, figDir string, err error) {
	stem := strings.TrimSuffix(htmlPath, filepath.Ext(htmlPath))
	mdPath = stem + ".md"
	figDir = stem + "_figures"
	if err := results.WriteFileAtomic(htmlPath, rep.WriteHTML); err != nil {
		return "", "", err
	}
	if _, err := WriteFigures(rep.Figures(), figDir, "png"); err != nil {
		return "", "", err
	}
	rel := filepath.Base(figDir)
	if err := results.WriteFileAtomic(mdPath, func(w io.Writer) error { return rep.WriteMarkdown(w, rel) }); err != nil {
		return "", "", err
	}
	return mdPath, figDir, nil
}
