package report

import (
	"fmt"
	"regexp"
	"strings"

	"listetak/results"
)

// Lang is the language of a report and its figures: English or Norwegian
// (bokmål).
type Lang string

// The report languages.
const (
	English   Lang = "en"
	Norwegian Lang = "nb"
)

// ParseLang returns the language named s ("en" or "nb"; "no" and "nob"
// are taken as "nb").
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(s) {
	case "en", "eng", "english":
		return English, nil
	case "nb", "no", "nob", "norsk", "bokmål":
		return Norwegian, nil
	}
	return "", fmt.Errorf("report: unknown language %q (want en or nb)", s)
}

// Numbers returns the language's number format (results.EnglishNumbers or
// results.NorwegianNumbers).
func (l Lang) Numbers() results.NumberFormat {
	if l == Norwegian {
		return results.NorwegianNumbers
	}
	return results.EnglishNumbers
}

// t returns the text of key in l; a missing key is a programming error and
// shows as the key itself.
func (l Lang) t(key string) string {
	e, ok := texts[key]
	if !ok {
		return key
	}
	s := e[0]
	if l == Norwegian {
		s = e[1]
	}
	// A percent sign never starts a line: "90 %" keeps a no-break space.
	return percentSpace.ReplaceAllString(s, "\u00a0$1")
}

// percentSpace matches the space before a literal percent sign ("90 %",
// "90 %%" in a format), not before a verb ("I %s").
var percentSpace = regexp.MustCompile(` (%%|%[ )\]:;,.]|%$)`)

// tf is fmt.Sprintf of the text of key.
func (l Lang) tf(key string, args ...any) string {
	return fmt.Sprintf(l.t(key), args...)
}

// texts holds every fixed text of the report: {English, Norwegian}.
var texts = map[string][2]string{
	"title":        {"listetak report", "listetak-rapport"},
	"run":          {"The run", "Kjøringen"},
	"summary":      {"Summary", "Sammendrag"},
	"capacity":     {"Capacity, residents without a GP and GPs", "Kapasitet, innbyggere uten fastlege og fastleger"},
	"effects":      {"Reform effects (paired differences)", "Virkninger av reformene (parvise differanser)"},
	"lists":        {"List lengths", "Listelengder"},
	"distribution": {"Incomes by group", "Inntekter etter gruppe"},
	"sensitivity":  {"Sensitivity", "Følsomhet"},
	"calibration":  {"Calibration fit", "Kalibrering"},
	"parameters":   {"Appendix: parameters", "Vedlegg: parametere"},
	"contents":     {"Contents", "Innhold"},
	"figure":       {"Figure", "Figur"},
	"table":        {"Table", "Tabell"},
	"year":         {"year", "år"},
	"Year":         {"Year", "År"},
	"metric":       {"metric", "størrelse"},
	"scenario":     {"scenario", "scenario"},
	"group":        {"group", "gruppe"},
	"factor":       {"factor", "faktor"},
	"value":        {"value", "verdi"},
	"parameter":    {"parameter", "parameter"},
	"persons":      {"persons", "personer"},
	"GPs":          {"GPs", "fastleger"},
	"GPs/year":     {"GPs per year", "fastleger per år"},
	"NOK/year":     {"NOK per year", "kroner per år"},
	"hours/year":   {"hours per year", "timer per år"},
	"share":        {"share", "andel"},
	"count":        {"count", "antall"},
	"persons/GP":   {"persons per GP", "personer per fastlege"},
	"band note":    {"lines: medians; shading: 50 % and 90 % bands", "linjer: medianer; skravering: 50 % og 90 % intervaller"},
	"bar note":     {"bars: medians; whiskers: 90 % bands", "søyler: medianer; streker: 90 % intervaller"},
	"boot note":    {"whiskers: 95 % bootstrap intervals", "streker: 95 % bootstrapintervaller"},
	"observed":     {"observed ± 1.96 SE", "observert ± 1,96 SE"},
	"simulated":    {"simulated", "simulert"},
	"relative":     {"relative to observed (observed = 1)", "relativt til observert (observert = 1)"},
	"moment value": {"value in the moment's unit", "verdi i momentets enhet"},
	"start":        {"year 0", "år 0"},
	"static":       {"static, year 1", "statisk, år 1"},
	"dynamic":      {"dynamic, year %d", "dynamisk, år %d"},
	"list bin":     {"list length in year 0 (persons)", "listelengde i år 0 (personer)"},
	"list bin now": {"list length (persons)", "listelengde (personer)"},
	"gp group":     {"GPs by year-0 group", "fastleger etter gruppe i år 0"},
	"centrality":   {"centrality of the municipality (1 most central, 6 least)", "kommunens sentralitet (1 mest sentral, 6 minst)"},
	"total ST":     {"total (ST)", "total (ST)"},
	"first S1":     {"first order (S1)", "første orden (S1)"},
	"mu_star":      {"mean absolute effect (μ*)", "gjennomsnittlig absolutt effekt (μ*)"},
	"sigma":        {"spread of effects (σ)", "spredning i effekter (σ)"},
	"variance":     {"share of variance", "andel av variansen"},
	"morris unit":  {"change in the output per unit range of the factor", "endring i resultatet per enhetsintervall av faktoren"},
	"median band":  {"median (90 % band)", "median (90 % intervall)"},

	// The run table.
	"version":      {"version", "versjon"},
	"git":          {"source (git describe)", "kildekode (git describe)"},
	"command":      {"command", "kommando"},
	"seed":         {"seed", "frø (seed)"},
	"reps":         {"replications", "replikasjoner"},
	"years":        {"years simulated", "simulerte år"},
	"world":        {"world", "verden"},
	"scenarios":    {"scenarios", "scenarioer"},
	"design":       {"design points", "designpunkter"},
	"wall":         {"wall time", "kjøretid"},
	"started":      {"started", "startet"},
	"money":        {"money", "penger"},
	"money text":   {"2019 NOK × %s (the world's money index)", "2019-kroner × %s (verdens pengeindeks)"},
	"world notes":  {"How the world was built", "Slik ble verden bygd"},
	"seconds":      {"%s s", "%s s"},
	"param note":   {"Parameters in force (money in 2019 NOK; multiply by the money index for the world's money year).", "Parametere i bruk (penger i 2019-kroner; ganges med pengeindeksen for verdens pengeår)."},
	"design note":  {"This run has %d design points; tables and figures other than sensitivity show design point 0.", "Kjøringen har %d designpunkter; tabeller og figurer utenom følsomhet viser designpunkt 0."},
	"no summary":   {"This folder has no summary.csv: there are no projections to show.", "Mappen har ingen summary.csv: det er ingen framskrivinger å vise."},
	"generated":    {"Generated by listetak %s from the run folder %s.", "Laget av listetak %s fra kjøringsmappen %s."},
	"band explain": {"Numbers are medians over replications with the 90 % band (5 % and 95 % quantiles) below or in brackets.", "Tallene er medianer over replikasjoner med 90 % intervall (5 % og 95 % kvantil) under eller i hakeparentes."},

	// Table captions.
	"cap scenario":   {"%s: medians and 90 %% bands over replications by year.", "%s: medianer og 90 %% intervaller over replikasjoner etter år."},
	"cap diff":       {"%s: paired difference to %s (the same random draws in both), median and 90 %% band by year.", "%s: parvis differanse mot %s (de samme trekningene i begge), median og 90 %% intervall etter år."},
	"cap dist":       {"%s: mean change in net income per GP against %s (NOK per year), the same GPs grouped by their year-0 attributes; median and 90 %% band over replications.", "%s: gjennomsnittlig endring i nettoinntekt per fastlege mot %s (kroner per år), de samme legene gruppert etter kjennetegn i år 0; median og 90 %% intervall over replikasjoner."},
	"cap share":      {"%s: shares of GPs whose gross income rises or falls by more than 5 %% against %s (medians over replications).", "%s: andeler fastleger som får bruttoinntekten økt eller redusert med mer enn 5 %% mot %s (medianer over replikasjoner)."},
	"cap sens":       {"%s: sensitivity indices of the projections to the design's factors (estimate and 95 %% bootstrap interval where there is one).", "%s: følsomhetsindekser for framskrivingene overfor designets faktorer (anslag og 95 %% bootstrapintervall der det finnes)."},
	"fit suppressed": {"%d moments from cells with fewer than the minimum number of GPs are suppressed (DATA.md) and not shown.", "%d momenter fra celler med færre enn minste antall leger er skjult (DATA.md) og vises ikke."},
	"cap fit":        {"Calibration moments: observed and simulated values, their difference, its standard error and z = difference / SE.", "Kalibreringsmomenter: observerte og simulerte verdier, differansen, dens standardfeil og z = differanse / SE."},
	"gain5":          {"gain > 5 %", "øker > 5 %"},
	"lose5":          {"lose > 5 %", "taper > 5 %"},
	"moment":         {"moment", "moment"},
	"difference":     {"difference", "differanse"},
	"weight":         {"weight", "vekt"},
	"observed col":   {"observed", "observert"},
	"simulated col":  {"simulated", "simulert"},
	"estimate":       {"estimate", "anslag"},
	"interval":       {"95 % interval", "95 % intervall"},
	"index":          {"index", "indeks"},
	"output":         {"output", "resultat"},
	"all groups":     {"all GPs", "alle fastleger"},
	"women":          {"women", "kvinner"},
	"men":            {"men", "menn"},
	"specialists":    {"specialists", "spesialister"},
	"nonspecialists": {"non-specialists", "ikke-spesialister"},
	"under50":        {"under 50", "under 50 år"},
	"over50":         {"50 and over", "50 år og over"},
	"centrality n":   {"centrality %s", "sentralitet %s"},
	"list n":         {"list %s", "liste %s"},

	// Figure captions.
	"fig fan":      {"%s by year under each scenario: medians over replications (lines) with 50 %% and 90 %% bands (shading).", "%s etter år i hvert scenario: medianer over replikasjoner (linjer) med 50 %% og 90 %% intervaller (skravering)."},
	"fig diff":     {"%s, each reform minus %s, paired by replication (common random numbers): median with 50 %% and 90 %% bands; the dashed line marks no difference.", "%s, hver reform minus %s, parvis per replikasjon (felles tilfeldige tall): median med 50 %% og 90 %% intervaller; den stiplede linjen markerer ingen forskjell."},
	"fig lists":    {"GPs by list length in year 0 and in year %d under each scenario: medians over replications with 90 %% bands (whiskers).", "Fastleger etter listelengde i år 0 og i år %d i hvert scenario: medianer over replikasjoner med 90 %% intervaller (streker)."},
	"fig dist":     {"Mean change in net income per GP against %s, %s, by %s: medians over replications with 90 %% bands.", "Gjennomsnittlig endring i nettoinntekt per fastlege mot %s, %s, etter %s: medianer over replikasjoner med 90 %% intervaller."},
	"fig sobol":    {"Sobol indices of %s in year %d (%s): total (ST) and first-order (S1) shares of the output's variance due to each factor, with 95 %% bootstrap intervals; largest first.", "Sobol-indekser for %s i år %d (%s): total (ST) og førsteordens (S1) andel av variansen som skyldes hver faktor, med 95 %% bootstrapintervaller; størst først."},
	"fig morris":   {"Morris elementary effects of %s in year %d (%s): mean absolute effect μ* and spread σ of each factor; largest first.", "Morris elementæreffekter for %s i år %d (%s): gjennomsnittlig absolutt effekt μ* og spredning σ for hver faktor; størst først."},
	"fig fit":      {"Calibration fit: each moment's observed value (circle) with ±1.96 standard errors of observed − simulated, and the simulated value (triangle)%s.", "Kalibrering: hvert moments observerte verdi (sirkel) med ±1,96 standardfeil for observert − simulert, og den simulerte verdien (trekant)%s."},
	"fig fit rel":  {", relative to the observed value", ", relativt til den observerte verdien"},
	"title fan":    {"%s", "%s"},
	"title diff":   {"%s: reform minus %s", "%s: reform minus %s"},
	"title lists":  {"GPs by list length", "Fastleger etter listelengde"},
	"title dist":   {"Change in net income per GP, %s", "Endring i nettoinntekt per fastlege, %s"},
	"title sobol":  {"Sobol indices: %s, year %d", "Sobol-indekser: %s, år %d"},
	"title morris": {"Morris effects: %s, year %d", "Morris-effekter: %s, år %d"},
	"title fit":    {"Calibration fit", "Kalibrering"},
	"by list":      {"list length in year 0", "listelengde i år 0"},
	"by group":     {"sex, specialist status and age in year 0", "kjønn, spesialiststatus og alder i år 0"},
	"by central":   {"centrality of the municipality", "kommunens sentralitet"},

	// The summary paragraph.
	"sum run": {
		"This run projects the regular-GP scheme %d years ahead on the world %s under %s, with %s replications per scenario (seed %d).",
		"Kjøringen framskriver fastlegeordningen %d år fram på verdenen %s med %s, med %s replikasjoner per scenario (frø %d).",
	},
	"sum one":     {"one scenario, %s", "ett scenario, %s"},
	"sum many":    {"%d scenarios (%s; differences are to %s)", "%d scenarioer (%s; differanser er mot %s)"},
	"sum base":    {"Under %s, capacity moves from %s list places in year 0 to %s in year %d (90 %% band %s), residents without a GP from %s to %s (%s), and the number of GPs from %s to %s (%s).", "I %s går kapasiteten fra %s listeplasser i år 0 til %s i år %d (90 %% intervall %s), antall innbyggere uten fastlege fra %s til %s (%s), og antall fastleger fra %s til %s (%s)."},
	"sum reform":  {"Against %s, %s changes residents without a GP in year %d by %s (90 %% band %s; %s) and capacity by %s (%s; %s).", "Sammenliknet med %s endrer %s antall innbyggere uten fastlege i år %d med %s (90 %% intervall %s; %s) og kapasiteten med %s (%s; %s)."},
	"sum static":  {"On the starting lists (static, year 1), %s changes mean net income per GP by %s NOK a year: by %s for GPs with lists of %s persons and by %s for those with %s.", "På listene ved start (statisk, år 1) endrer %s gjennomsnittlig nettoinntekt per fastlege med %s kroner i året: med %s for leger med lister på %s personer og med %s for dem med %s."},
	"below zero":  {"the whole band below zero", "hele intervallet under null"},
	"above zero":  {"the whole band above zero", "hele intervallet over null"},
	"spans zero":  {"the band includes zero", "intervallet omfatter null"},
	"sum sens":    {"The design's most influential factor for %s in year %d is %s (%s %s).", "Designets viktigste faktor for %s i år %d er %s (%s %s)."},
	"sum fit":     {"Of %d calibration moments, %d are simulated within 1.96 standard errors of the observed value.", "Av %d kalibreringsmomenter er %d simulert innenfor 1,96 standardfeil av den observerte verdien."},
	"range":       {"%s to %s", "%s til %s"},
	"band format": {"%s – %s", "%s – %s"},
}

// metricInfo is the label and unit of a metric in both languages.
type metricInfo struct {
	label [2]string
	unit  string // a key of texts
}

// metrics labels the metrics a report shows by name; others are labelled
// with their name and a unit guessed from it (see metricLabel).
var metrics = map[string]metricInfo{
	"capacity":                {[2]string{"Capacity (sum of list ceilings)", "Kapasitet (sum av listetak)"}, "persons"},
	"orphans":                 {[2]string{"Residents without a GP", "Innbyggere uten fastlege"}, "persons"},
	"gps":                     {[2]string{"GPs holding a list", "Fastleger med liste"}, "GPs"},
	"entries":                 {[2]string{"GPs entering", "Nye fastleger"}, "GPs/year"},
	"exits_retirement":        {[2]string{"Exits by retirement", "Avganger ved pensjonering"}, "GPs/year"},
	"exits_other":             {[2]string{"Other exits", "Andre avganger"}, "GPs/year"},
	"mean_net_income":         {[2]string{"Mean net income per GP", "Gjennomsnittlig nettoinntekt per fastlege"}, "NOK/year"},
	"mean_gross_income":       {[2]string{"Mean gross income per GP", "Gjennomsnittlig bruttoinntekt per fastlege"}, "NOK/year"},
	"mean_list":               {[2]string{"Mean list length", "Gjennomsnittlig listelengde"}, "persons/GP"},
	"mean_ceiling":            {[2]string{"Mean list ceiling", "Gjennomsnittlig listetak"}, "persons/GP"},
	"mean_hours":              {[2]string{"Mean working hours per GP", "Gjennomsnittlig arbeidstid per fastlege"}, "hours/year"},
	"public_spending":         {[2]string{"Public spending on capitation and fees", "Offentlige utgifter til basistilskudd og takster"}, "NOK/year"},
	"population":              {[2]string{"Residents", "Innbyggere"}, "persons"},
	"listed":                  {[2]string{"Residents on a GP's list", "Innbyggere på en fastleges liste"}, "persons"},
	"orphan_share":            {[2]string{"Share of residents without a GP", "Andel innbyggere uten fastlege"}, "share"},
	"coverage":                {[2]string{"Capacity per resident", "Kapasitet per innbygger"}, "share"},
	"vacant_slots":            {[2]string{"Vacant GP positions", "Ledige fastlegehjemler"}, "count"},
	"lists_without_gp":        {[2]string{"Lists without a GP", "Lister uten fast lege"}, "count"},
	"orphans_on_vacant_lists": {[2]string{"Residents on lists without a GP", "Innbyggere på lister uten fast lege"}, "persons"},
	"orphans_unlisted":        {[2]string{"Residents waiting for a list", "Innbyggere som venter på liste"}, "persons"},
	"gps_age_62_plus":         {[2]string{"GPs aged 62 or more", "Fastleger 62 år og eldre"}, "GPs"},
	"gps_age_67_plus":         {[2]string{"GPs aged 67 or more", "Fastleger 67 år og eldre"}, "GPs"},
	"gps_per_10k":             {[2]string{"GPs per 10,000 residents", "Fastleger per 10 000 innbyggere"}, "GPs"},
	"salaried_share":          {[2]string{"Share of GPs on salaried contracts", "Andel fastlønnede fastleger"}, "share"},
	"exits":                   {[2]string{"GPs leaving a list", "Fastleger som slutter"}, "GPs/year"},
}

// metricLabel returns the label of metric in l ("Capacity (sum of list
// ceilings)") and its unit ("persons"); an unknown metric is labelled with
// its name and a unit guessed from the name.
func (l Lang) metricLabel(metric string) (label, unit string) {
	i := 0
	if l == Norwegian {
		i = 1
	}
	if m, ok := metrics[metric]; ok {
		return m.label[i], l.t(m.unit)
	}
	u := "count"
	switch {
	case strings.Contains(metric, "income") || strings.Contains(metric, "capitation") || strings.Contains(metric, "fees") ||
		strings.Contains(metric, "spending") || strings.Contains(metric, "cost") || strings.Contains(metric, "equalisation"):
		u = "NOK/year"
	case strings.HasSuffix(metric, "_share") || metric == "coverage":
		u = "share"
	case strings.Contains(metric, "hours"):
		u = "hours/year"
	case strings.HasPrefix(metric, "gps") || strings.Contains(metric, "_bin_"):
		u = "GPs"
	case metric == "orphans" || strings.HasPrefix(metric, "orphans_") || strings.HasPrefix(metric, "capacity") || metric == "persons_released":
		u = "persons"
	}
	return metric, l.t(u)
}
