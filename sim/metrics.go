package sim

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
	NumMetrics                               // number of metrics
)

// metricNames are the metric names used in output files.
var metricNames = [NumMetrics]string{
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
	"list_bin_0_500", "list_bin_501_800", "list_bin_801_1000", "list_bin_1001_1200", "list_bin_1201_1500", "list_bin_1501_1800", "list_bin_1801_plus",
	"ceiling_bin_0_500", "ceiling_bin_501_800", "ceiling_bin_801_1000", "ceiling_bin_1001_1200", "ceiling_bin_1201_1500", "ceiling_bin_1501_1800", "ceiling_bin_1801_plus",
	"mean_net_income_list_bin_0_500", "mean_net_income_list_bin_501_800", "mean_net_income_list_bin_801_1000", "mean_net_income_list_bin_1001_1200",
	"mean_net_income_list_bin_1201_1500", "mean_net_income_list_bin_1501_1800", "mean_net_income_list_bin_1801_plus",
	"slots_converted", "deaths", "births", "mean_correction_factor",
}

// String returns the metric's name in output files.
func (m Metric) String() string { return metricNames[m] }

// MetricNames returns the names of all metrics in index order.
func MetricNames() []string { return append([]string(nil), metricNames[:]...) }

// bin returns the list-length bin (0..6) of MODEL.md: 0-500, 501-800,
// 801-1000, 1001-1200, 1201-1500, 1501-1800, 1801+.
func bin(x int64) int {
	switch {
	case x <= 500:
		return 0
	case x <= 800:
		return 1
	case x <= 1000:
		return 2
	case x <= 1200:
		return 3
	case x <= 1500:
		return 4
	case x <= 1800:
		return 5
	}
	return 6
}
