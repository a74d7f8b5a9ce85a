package plot

import (
	"listetak/internal/atomicfile"

	"fmt"
	"io"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure sizes for reports and slides.
const (
	// Width and Height are the size of a report figure: 16 x 10 cm fits
	// an A4 page with margins.
	Width  = 16 * vg.Centimeter
	Height = 10 * vg.Centimeter
)

// margin is the blank border around every figure.
const margin = vg.Length(4)

// RenderOptions say how a figure is encoded.
type RenderOptions struct {
	// DPI is the resolution of PNG figures (96 when 0); 192 gives crisp
	// figures on slides and high-density screens.
	DPI int
	// EmbedFonts embeds the fonts in SVG figures, so they render the same
	// everywhere (about 0.5 MB more per figure). Without it the SVG names
	// the font family (Liberation Serif), which the reader's system or
	// the HTML page around it must supply. PDF figures always embed
	// their fonts.
	EmbedFonts bool
}

// Render writes p, width by height, to w in format ("png", "svg" or
// "pdf"). Text in PDF figures is converted to the Windows-1252 code page
// the PDF fonts use, so Norwegian letters come out right (a character
// outside it, such as U+2212 MINUS SIGN, is replaced by its nearest ASCII
// form).
func Render(w io.Writer, p *plot.Plot, format string, width, height vg.Length, o RenderOptions) error {
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "png":
		dpi := o.DPI
		if dpi <= 0 {
			dpi = 96
		}
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))}
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(width, height), vgsvg.EmbedFonts(o.EmbedFonts))
	case "pdf":
		pc := vgpdf.New(width, height)
		c = cp1252Canvas{pc}
	default:
		return fmt.Errorf("plot: unsupported format %q (want png, svg or pdf)", format)
	}
	// A margin of a few points keeps text at the edges (long category
	// labels, the last tick label, the legend) clear of the border.
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, margin, -margin, margin, -margin))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("plot: writing %s: %w", format, err)
	}
	return nil
}

// SaveWith is Save with render options: it writes p to path (.png, .svg
// or .pdf) atomically.
func SaveWith(p *plot.Plot, path string, width, height vg.Length, o RenderOptions) (err error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".png", ".svg", ".pdf":
	default:
		return fmt.Errorf("plot: Save %s: unsupported format %q (want .png, .svg or .pdf)", path, filepath.Ext(path))
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return Render(w, p, ext[1:], width, height, o) }); err != nil {
		return fmt.Errorf("plot: Save: %w", err)
	}
	return nil
}

// cp1252Canvas passes strings to a PDF canvas in Windows-1252, the code
// page vgpdf's fonts are built with (vgpdf itself passes UTF-8 bytes, which
// turns "år" into "Ã¥r").
type cp1252Canvas struct {
	*vgpdf.Canvas
}

// asciiFallback replaces characters outside Windows-1252 that figures use.
var asciiFallback = strings.NewReplacer(
	"\u2212", "-", // minus sign
	"\u202f", "\u00a0", // narrow no-break space
	"\u2009", " ", // thin space
	"\u2264", "<=", "\u2265", ">=",
)

// FillString implements vg.Canvas.
func (c cp1252Canvas) FillString(f font.Face, pt vg.Point, s string) {
	s = asciiFallback.Replace(s)
	enc, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		// A character still outside the code page: drop to ASCII.
		b := []rune(s)
		for i, r := range b {
			if r > 0x7e {
				b[i] = '?'
			}
		}
		enc = string(b)
	}
	c.Canvas.FillString(f, pt, enc)
}
