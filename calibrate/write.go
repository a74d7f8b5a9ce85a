package calibrate

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"go.yaml.in/yaml/v3"

	"listetak/params"
	"listetak/results"
)

// fmtFloat formats a number exactly (shortest round-trip form); NaN is
// written as an empty cell.
func fmtFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// gpID is the pseudonymous id a synthetic register gives GP id n.
func gpID(p *Panel, gp int32) string {
	if int(gp) < len(p.IDs) {
		return p.IDs[gp]
	}
	return fmt.Sprintf("gp%06d", gp)
}

// registerHeader is the header of a register panel written as CSV
// (DATA.md section 2).
const registerHeader = "gp_id,year,municipality,centrality,sex,birth_year,specialist,contract,ceiling,list_length,capitation_income,fee_income,exit"

// WriteRegisterCSV writes a panel in the register format of DATA.md
// section 2, one row per GP-year sorted by GP and year, with the exit
// column (empty in the last panel year: censored). Meant for synthetic
// registers; a real register is never written back.
func WriteRegisterCSV(w io.Writer, p *Panel) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, registerHeader)
	for i := range p.Rows {
		writeRegisterRow(bw, p, &p.Rows[i])
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// writeRegisterRow writes r's register columns (no line end).
func writeRegisterRow(bw *bufio.Writer, p *Panel, r *Row) {
	sex, contract := "M", "self"
	if r.Female {
		sex = "F"
	}
	if r.Salaried {
		contract = "salaried"
	}
	spec, exit := "", ""
	if r.Specialist >= 0 {
		spec = strconv.Itoa(int(r.Specialist))
	}
	if r.Exit >= 0 {
		exit = strconv.Itoa(int(r.Exit))
	}
	fmt.Fprintf(bw, "%s,%d,%s,%d,%s,%d,%s,%s,%d,%d,%s,%s,%s", gpID(p, r.GP), r.Year, p.Munis[r.Muni], r.Centrality,
		sex, r.BirthYear, spec, contract, r.Ceiling, r.List, fmtFloat(r.Capitation), fmtFloat(r.Fees), exit)
}

// parquetRow is a register row in Parquet (same column names as the CSV).
type parquetRow struct {
	GPID         string   `parquet:"gp_id,dict,zstd"`
	Year         int32    `parquet:"year,zstd"`
	Municipality string   `parquet:"municipality,dict,zstd"`
	Centrality   int32    `parquet:"centrality,zstd"`
	Sex          string   `parquet:"sex,dict,zstd"`
	BirthYear    int32    `parquet:"birth_year,zstd"`
	Specialist   *int32   `parquet:"specialist,optional,zstd"`
	Contract     string   `parquet:"contract,dict,zstd"`
	Ceiling      int32    `parquet:"ceiling,zstd"`
	List         int32    `parquet:"list_length,zstd"`
	Capitation   *float64 `parquet:"capitation_income,optional,zstd"`
	Fees         *float64 `parquet:"fee_income,optional,zstd"`
	Exit         *int32   `parquet:"exit,optional,zstd"`
}

// WriteRegisterParquet writes the panel as a Parquet file (zstd) at path,
// atomically, with the CSV's column names.
func WriteRegisterParquet(path string, p *Panel) error {
	return results.WriteFileAtomic(path, func(w io.Writer) error {
		pw := parquet.NewGenericWriter[parquetRow](w)
		buf := make([]parquetRow, 0, 4096)
		flush := func() error {
			if _, err := pw.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
			return nil
		}
		for i := range p.Rows {
			r := &p.Rows[i]
			row := parquetRow{GPID: gpID(p, r.GP), Year: r.Year, Municipality: p.Munis[r.Muni], Centrality: int32(r.Centrality),
				Sex: "M", BirthYear: r.BirthYear, Contract: "self", Ceiling: r.Ceiling, List: r.List}
			if r.Female {
				row.Sex = "F"
			}
			if r.Salaried {
				row.Contract = "salaried"
			}
			if r.Specialist >= 0 {
				v := int32(r.Specialist)
				row.Specialist = &v
			}
			if !math.IsNaN(r.Capitation) {
				c, f := r.Capitation, r.Fees
				row.Capitation, row.Fees = &c, &f
			}
			if r.Exit >= 0 {
				v := int32(r.Exit)
				row.Exit = &v
			}
			buf = append(buf, row)
			if len(buf) == cap(buf) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return pw.Close()
	})
}

// WriteMunicipalityYearsCSV writes municipality_years.csv (DATA.md section
// 2), sorted by municipality code and year.
func WriteMunicipalityYearsCSV(w io.Writer, my *MuniYears) error {
	keys := make([]MuniYearKey, 0, len(my.ByKey))
	for k := range my.ByKey {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b MuniYearKey) int {
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return a.Year - b.Year
	})
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "municipality,year,population,orphans,vacant_slots")
	for _, k := range keys {
		v := my.ByKey[k]
		fmt.Fprintf(bw, "%s,%d,%d,%d,%d\n", k.Code, k.Year, v.Population, v.Orphans, v.Vacant)
	}
	return bw.Flush()
}

// FitHeader is fit.csv's header (agreed with the plot and report code).
const FitHeader = "moment,group,observed,simulated,se,weight"

// WriteFit writes fit.csv: one row per moment with the observed value, the
// simulated value at the estimate, the standard error of observed -
// simulated and the moment's weight. Moments from cells of fewer than
// MinCell GPs are suppressed: their row has no values and weight 0.
func WriteFit(w io.Writer, rows []FitRow) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, FitHeader)
	q := func(s string) string {
		if strings.ContainsAny(s, ",\"\n") {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	for _, r := range rows {
		if r.Suppressed {
			fmt.Fprintf(bw, "%s,%s,,,,0\n", q(r.Name), q(r.Group))
			continue
		}
		fmt.Fprintf(bw, "%s,%s,%s,%s,%s,%s\n", q(r.Name), q(r.Group), fmtFloat(r.Value), fmtFloat(r.Simulated), fmtFloat(r.SE), fmtFloat(r.Weight))
	}
	return bw.Flush()
}

// WriteHistory writes optimisation.csv: each screening result and each
// major iteration of a search with the best criterion so far and its
// parameters (parameter scale).
func WriteHistory(w io.Writer, free []Free, hist []HistoryRow) error {
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, "stage,iteration,evaluations,objective")
	for _, f := range free {
		fmt.Fprint(bw, ",", f.Key)
	}
	fmt.Fprintln(bw)
	for _, h := range hist {
		fmt.Fprintf(bw, "%s,%d,%d,%s", h.Stage, h.Iteration, h.Evaluations, fmtFloat(h.Objective))
		for _, v := range h.Values {
			fmt.Fprint(bw, ",", fmtFloat(v))
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// WriteIdentificationCSV writes the standardised Jacobian, one row per
// parameter and moment: parameter,moment,effect (the moment's change in
// its standard deviations per unit of the transformed parameter).
func WriteIdentificationCSV(w io.Writer, id *Identification) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "parameter,moment,effect")
	for j, k := range id.Keys {
		for i, m := range id.Moments {
			fmt.Fprintf(bw, "%s,\"%s\",%s\n", k, m, fmtFloat(id.Std.At(i, j)))
		}
	}
	return bw.Flush()
}

// EstimatesInfo is what an estimates file records besides the numbers:
// the register file or the targets fitted (an estimates file has one
// field for both, register, which then reads "targets: NAME"), and the
// world; Until the last target year fitted when later ones were held out
// (0: all).
type EstimatesInfo struct {
	Register, Targets, World string
	Until                    int
}

// Estimates returns the estimates section of a result.
func (r *Result) Estimates(info EstimatesInfo, method string, moments int) *params.Estimates {
	est := &params.Estimates{Method: "smm (" + method + ")", Register: info.Register, World: info.World,
		Objective: r.Objective, Moments: moments, Reps: r.Reps, Notes: r.Notes, TargetsUntil: info.Until}
	if info.Targets != "" {
		est.Register = "targets: " + info.Targets
	}
	d := len(r.Free)
	for i, f := range r.Free {
		ep := params.Estimated{Key: f.Key, Value: r.Values[i], SE: r.SE[i], Transform: f.Transform, Lower: f.Lower, Upper: f.Upper}
		if math.IsNaN(ep.SE) {
			ep.SE = 0
		}
		if r.BootSE != nil {
			ep.BootSE = r.BootSE[i]
		}
		est.Parameters = append(est.Parameters, ep)
	}
	est.Covariance = make([][]float64, d)
	for i := range d {
		est.Covariance[i] = make([]float64, d)
		for j := range d {
			if r.CovZ != nil {
				est.Covariance[i][j] = r.CovZ.At(i, j)
			}
		}
	}
	if r.CovZ == nil {
		est.Notes = append(est.Notes, "no covariance: the standard errors could not be computed; experiments draw nothing for these parameters")
	}
	return est
}

// WriteEstimates writes an estimates file: the point estimates and the
// fixed parameters that differ from the defaults as top-level parameter
// overrides (so `listetak run -params FILE` runs the calibrated model), then
// the estimates section (params.Estimates). base holds the fixed
// parameters; the estimated ones are taken from est.
func WriteEstimates(w io.Writer, base params.Params, est *params.Estimates) error {
	p := base
	for _, e := range est.Parameters {
		if err := p.Set(e.Key, e.Value); err != nil {
			return err
		}
	}
	def := params.Default()
	defs := map[string]any{}
	for _, e := range def.List() {
		defs[e.Key] = e.Value
	}
	estimated := map[string]bool{}
	for _, e := range est.Parameters {
		estimated[e.Key] = true
	}
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, `# Estimates written by listetak calibrate (package calibrate).
# The top-level keys are parameter overrides (2019 NOK): the point estimates
# and the fixed parameters that differ from the defaults, so
#   listetak run -params estimates.yaml
# runs the calibrated model. The estimates section holds each estimated
# parameter's standard error, transform and bounds, and the covariance of
# the estimates on the transformed scale; an experiment file's
# uncertainty_from draws the parameters per replication from it
# (multivariate normal on the transformed scale).
`)
	p.WriteYAML(bw, func(e params.Entry) bool { return estimated[e.Key] || !reflect.DeepEqual(e.Value, defs[e.Key]) })
	out, err := yaml.Marshal(struct {
		E *params.Estimates `yaml:"estimates"`
	}{est})
	if err != nil {
		return err
	}
	bw.Write(out)
	return bw.Flush()
}
