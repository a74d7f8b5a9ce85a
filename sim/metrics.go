package sim

import (
	"math"
	"slices"
)

// Metric indexes the per-year outputs (MODEL.md "Outputs per year"). Counts
// are persons or GPs, money NOK/year in the world's money year, hours
// hours/year. Means over an empty group are NaN.
type Metric int

// The per-year outputs. Means of income and hours are over GPs holding
// slots (salaried GPs with their salary); capitation and fee totals include
// what is paid for salaried GPs' lists (to the municipality).
const (
	Population                 Metric = iota // persons at the end of the year
	GPs                                      // GPs holding slots
	GPsFemale                                // GPs holding slots, women
	GPsMale                                  // GPs holding slots, men
	GPsSpecialist                            // specialists in general practice
	GPsSalaried                              // salaried contracts
	GPsSelfEmployed                          // self-employed contracts
	GPsAgeLt40                               // aged under 40
	GPsAge40to54                             // aged 40-54
	GPsAge55to66                             // aged 55-66
	GPsAge67Plus                             // aged 67 or more
	VacantSlots                              // slots without a GP (orphan lists)
	NewSlots                                 // slots created this year (step 5)
	Entries                                  // vacant slots filled this year (step 6)
	ExitsRetirement                          // GPs retiring this year (step 4)
	ExitsOther                               // GPs leaving for other reasons (step 4)
	Capacity                                 // sum of ceilings of GPs holding slots
	Listed                                   // persons on lists of GPs holding slots
	Orphans                                  // population - listed
	OrphansOnVacantLists                     // persons on orphan lists (vacant slots)
	OrphansUnlisted                          // persons on no list
	OrphanShare                              // orphans / population
	Coverage                                 // capacity / population
	MeanList                                 // mean list length of GPs holding slots
	MeanCeiling                              // mean ceiling of GPs holding slots
	MeanHours                                // mean hours/year of GPs holding slots
	MeanGrossIncome                          // mean gross income (salaried: salary)
	MeanNetIncome                            // mean net income (salaried: salary)
	MeanCapitation                           // mean capitation of self-employed GPs
	MeanFees                                 // mean fee income of self-employed GPs
	MeanEqualisation                         // mean equalisation grant of self-employed GPs
	MeanPracticeCost                         // mean practice cost of self-employed GPs
	CapitationTotal                          // capitation paid for lists of GPs holding slots
	FeesTotal                                // fees for lists of GPs holding slots
	EqualisationTotal                        // equalisation grants paid
	PublicSpending                           // capitation + fees
	CapacityChangeCeilings                   // change of capacity from ceiling choices (step 3)
	CapacityChangeExits                      // change of capacity from exits (step 4; <= 0)
	CapacityChangeEntries                    // change of capacity from entries (step 6; >= 0)
	CeilingsRaised                           // GPs who raised their ceiling
	CeilingsLowered                          // GPs whose lower ceiling was granted
	CeilingsRefused                          // applications for a lower ceiling refused
	PersonsReleased                          // persons leaving lists through lower ceilings and entrants' ceilings
	MeanNetIncomeFemale                      // mean net income, women
	MeanNetIncomeMale                        // mean net income, men
	MeanNetIncomeSpecialist                  // mean net income, specialists
	MeanNetIncomeNonSpecialist               // mean net income, non-specialists
	MeanNetIncomeAgeLt50                     // mean net income, aged under 50
	MeanNetIncomeAgeGe50                     // mean net income, aged 50 or more
	ListBin0to500                            // GPs with list 0-500
	ListBin501to800                          // 501-800
	ListBin801to1000                         // 801-1,000
	ListBin1001to1200                        // 1,001-1,200
	ListBin1201to1500                        // 1,201-1,500
	ListBin1501to1800                        // 1,501-1,800
	ListBin1801Plus                          // 1,801 or more
	CeilingBin0to500                         // GPs with ceiling 0-500
	CeilingBin501to800                       // 501-800
	CeilingBin801to1000                      // 801-1,000
	CeilingBin1001to1200                     // 1,001-1,200
	CeilingBin1201to1500                     // 1,201-1,500
	CeilingBin1501to1800                     // 1,501-1,800
	CeilingBin1801Plus                       // 1,801 or more
	NetIncomeBin0to500                       // mean net income of GPs with list 0-500
	NetIncomeBin501to800                     // 501-800
	NetIncomeBin801to1000                    // 801-1,000
	NetIncomeBin1001to1200                   // 1,001-1,200
	NetIncomeBin1201to1500                   // 1,201-1,500
	NetIncomeBin1501to1800                   // 1,501-1,800
	NetIncomeBin1801Plus                     // 1,801 or more
	SlotsConverted                           // vacant slots converted to salaried this year (model 3)
	Deaths                                   // persons who died this year (with list composition; else 0)
	Births                                   // newcomers born this year (with list composition; else 0)
	MeanCorrectionFactor                     // listed persons' mean capitation weight on GPs' lists (1 without composition)
	ListsWithoutGP                           // vacant slots with persons on them (the register's lists without a GP)
	UnfilledNewPositions                     // vacant slots with nobody on them (new positions not yet filled)
	ListsWithoutGPOver1y                     // lists without a GP that were vacant at the previous year's end too (HDIR's "over a year")
	OpenLists                                // GPs with free places (ceiling > list)
	OpenListsSSB                             // GPs with more than OpenSSBThreshold free places (SSB's open list)
	Switched                                 // persons who switched GP this year (v2; 0 under v1)
	SlotTurnover                             // exits / GPs holding slots at the start of step 4
	GPsShareAge60Plus                        // share of GPs aged 60 or more
	GPsShareAge67Plus                        // share of GPs aged 67 or more
	SalariedShare                            // salaried / GPs holding slots
	FemaleShare                              // women / GPs holding slots
	MeanFreePlaces                           // mean ceiling - mean list of GPs holding slots
	GPsPer10k                                // GPs holding slots per 10,000 residents
	// The income components' means over all GPs holding slots (a salaried
	// GP's list with the capitation and fees paid for it to the
	// municipality, its equalisation and practice cost 0): each component's
	// total divided by the GPs (docs/model.md "Outputs").
	MeanCapitationAllGPs
	MeanFeesAllGPs
	MeanEqualisationAllGPs
	MeanPracticeCostAllGPs
	firstGroupMetric // first of the grouped metrics (see Grouped)
)

// OpenSSBThreshold is the number of free places above which SSB counts a
// list as open (persons; SSB's definition, data README section 5).
const OpenSSBThreshold = 20

// Municipality groups of the grouped metrics: centrality classes 1-6 and
// five size classes by population at the end of the year (< 2,000;
// 2,000-4,999; 5,000-19,999; 20,000-49,999; >= 50,000 residents).
const (
	NumCentralityGroups = 6
	NumSizeGroups       = 5
	NumGroups           = NumCentralityGroups + NumSizeGroups
)

// sizeBounds are the lower bounds of size classes 1..4 (persons).
var sizeBounds = [NumSizeGroups - 1]int64{2000, 5000, 20_000, 50_000}

// GroupNames are the groups' suffixes in metric names, in group order.
var GroupNames = [NumGroups]string{
	"centrality_1", "centrality_2", "centrality_3", "centrality_4", "centrality_5", "centrality_6",
	"size_lt2k", "size_2k_5k", "size_5k_20k", "size_20k_50k", "size_ge50k",
}

// SizeGroup returns the size class (0..4) of a municipality of pop persons.
func SizeGroup(pop int64) int {
	g := 0
	for g < len(sizeBounds) && pop >= sizeBounds[g] {
		g++
	}
	return g
}

// The grouped metrics: metric Grouped(base, g) is base's value in group g.
// Mean list and GPs per 10,000 residents over the group's municipalities,
// the share of its residents on lists without a GP, and its slot turnover.
const (
	MeanListBy        = firstGroupMetric
	GPsPer10kBy       = MeanListBy + NumGroups
	OrphanListShareBy = GPsPer10kBy + NumGroups
	SlotTurnoverBy    = OrphanListShareBy + NumGroups
	NumMetrics        = SlotTurnoverBy + NumGroups // number of metrics
)

// Grouped returns the metric of group g (0..NumGroups-1) of a grouped
// metric's first index (MeanListBy, GPsPer10kBy, ...).
func Grouped(base Metric, g int) Metric { return base + Metric(g) }

// groups returns the centrality group and the size group of municipality m.
func (s *State) groups(m int32) [2]int {
	mu := &s.Munis[m]
	return [2]int{mu.Centrality - 1, NumCentralityGroups + SizeGroup(mu.Pop)}
}

// metricNames are the metric names used in output files.
var metricNames = func() [NumMetrics]string {
	var names [NumMetrics]string
	copy(names[:], baseNames)
	for i, b := range []string{"mean_list", "gps_per_10k", "orphan_list_share", "slot_turnover"} {
		for g, n := range GroupNames {
			names[int(firstGroupMetric)+i*NumGroups+g] = b + "_" + n
		}
	}
	return names
}()

// baseNames are the names of the metrics before the grouped ones.
var baseNames = slices.Concat([]string{
	"population", "gps", "gps_female", "gps_male", "gps_specialist", "gps_salaried", "gps_self_employed",
	"gps_age_lt40", "gps_age_40_54", "gps_age_55_66", "gps_age_67_plus",
	"vacant_slots", "new_slots", "entries", "exits_retirement", "exits_other",
	"capacity", "listed", "orphans", "orphans_on_vacant_lists", "orphans_unlisted", "orphan_share", "coverage",
	"mean_list", "mean_ceiling", "mean_hours", "mean_gross_income", "mean_net_income",
	"mean_capitation", "mean_fees", "mean_equalisation", "mean_practice_cost",
	"capitation_total", "fees_total", "equalisation_total", "public_spending",
	"capacity_change_ceilings", "capacity_change_exits", "capacity_change_entries",
	"ceilings_raised", "ceilings_lowered", "ceilings_refused", "persons_released",
	"mean_net_income_female", "mean_net_income_male", "mean_net_income_specialist", "mean_net_income_nonspecialist",
	"mean_net_income_age_lt50", "mean_net_income_age_ge50",
}, binned("list_bin_"), binned("ceiling_bin_"), binned("mean_net_income_list_bin_"), []string{
	"slots_converted", "deaths", "births", "mean_correction_factor",
	"lists_without_gp", "unfilled_new_positions", "lists_without_gp_over_1y", "open_lists", "open_lists_ssb", "switched",
	"slot_turnover", "gps_share_age_60_plus", "gps_share_age_67_plus", "salaried_share", "female_share",
	"mean_free_places", "gps_per_10k",
	"mean_capitation_all_gps", "mean_fees_all_gps", "mean_equalisation_all_gps", "mean_practice_cost_all_gps",
})

// binned returns prefix + each list bin's label.
func binned(prefix string) []string {
	var n []string
	for _, b := range ListBins {
		n = append(n, prefix+b.Label)
	}
	return n
}

// String returns the metric's name in output files.
func (m Metric) String() string { return metricNames[m] }

// MetricNames returns the names of all metrics in index order.
func MetricNames() []string { return append([]string(nil), metricNames[:]...) }

// ListBin is a list-length bin of the outputs (persons, both ends
// included).
type ListBin struct {
	Label  string // as in metric names and distribution groups: "0_500", ..., "1801_plus"
	Lo, Hi int64
}

// ListBins are the list-length bins of the outputs (docs/model.md, the
// reference model's tables): 0-500, 501-800, 801-1000, 1001-1200,
// 1201-1500, 1501-1800, 1801+. The one definition the metrics, the
// distribution tables, the calibration moments and the reports use.
var ListBins = []ListBin{{"0_500", 0, 500}, {"501_800", 501, 800}, {"801_1000", 801, 1000},
	{"1001_1200", 1001, 1200}, {"1201_1500", 1201, 1500}, {"1501_1800", 1501, 1800}, {"1801_plus", 1801, math.MaxInt64}}

// ListBinLabels returns the bins' labels in order.
func ListBinLabels() []string {
	l := make([]string, len(ListBins))
	for i, b := range ListBins {
		l[i] = b.Label
	}
	return l
}

// BinOf returns the index in ListBins of list length x (0 below 0).
func BinOf(x int64) int {
	for i, b := range ListBins {
		if x <= b.Hi {
			return i
		}
	}
	return len(ListBins) - 1
}
