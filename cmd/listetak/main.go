package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Version is the listetak version.
const Version = "0.1.0-dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "listetak:", err)
		}
		os.Exit(1)
	}
}

// run dispatches a subcommand.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no subcommand")
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr)
	case "params":
		return paramsCmd(args[1:], stdout, stderr)
	case "slurm":
		return slurmCmd(args[1:], stdout, stderr)
	case "merge":
		return mergeCmd(args[1:], stdout, stderr)
	case "check":
		return checkCmd(args[1:], stdout, stderr)
	case "scenarios":
		return scenariosCmd(args[1:], stdout, stderr)
	case "solve":
		return solveCmd(args[1:], stdout, stderr)
	case "world":
		return worldCmd(args[1:], stdout, stderr)
	case "synth-register":
		return synthRegisterCmd(args[1:], stdout, stderr)
	case "calibrate":
		return calibrateCmd(args[1:], stdout, stderr)
	case "plot":
		return plotCmd(args[1:], stdout, stderr)
	case "hindcast":
		return hindcastCmd(args[1:], stdout, stderr)
	case "report":
		return reportCmd(args[1:], stdout, stderr)
	case "show":
		return showCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "listetak %s (%s)\n", Version, gitDescribe())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown subcommand %q", args[0])
}

const usage = `usage:
  listetak run [-world NAME|DIR] [-scenario A,B,...] [-rebase=false] [-years N] [-reps N] [-seed N] [-workers N] [-out DIR] [-params FILE] [-progress auto|always|never]
  listetak params [-params FILE]
  listetak run FILE [-out DIR] [-workers N] [-progress MODE]
  listetak run FILE -out DIR -shard i/n | -resume
  listetak merge DIR
  listetak slurm FILE -shards N -out DIR [-partition P -time T -mem M -cpus C -account A] [-submit]
  listetak check FILE
  listetak scenarios [-world NAME|DIR [-rebase=false] [-params FILE] [-model NAME]]
  listetak solve (-breaks LIST -rates LIST | -rate R) [-guarantee N] [-risk-adjusted] [-extra NOK] [-cap-share C] [-mode static|dynamic] [-year N] [-reps N] [-seed N] [-workers N] [-tol T] [-world NAME|DIR] [-params FILE]
  listetak world -export NAME DIR [-seed N] [-params FILE]
  listetak world -list
  listetak synth-register -world NAME|DIR [-counties P,...] -out DIR [-years N] [-scenario S -reform-year Y] [-params FILE] [-set k=v,...] [-seed N] [-format csv|parquet] [-no-income]
  listetak calibrate -register FILE -world NAME|DIR -params-free a,b,c -out DIR [-municipalities FILE] [-counties P,...] [-world-from-register] [-scenario S -reform-year Y] [-params FILE] [-bounds k=lo:hi,...] [-reps N] [-omega-reps N] [-seed N] [-lhs N] [-method cmaes|neldermead] [-max-iter N] [-restarts N] [-polish N] [-two-step] [-bootstrap B] [-min-cell N] [-workers N] [-resume] [-progress MODE]
  listetak calibrate -targets NAME|FILE -world NAME|DIR -params-free a,b,c -out DIR [-years N] [-target-rel-se R] [-target-pp-se P] [-target-duration-rel-se R] [-target-se-scale K] [-counties P,...] [-scenario S -reform-year Y] [-params FILE] [-bounds k=lo:hi,...] [-reps N] [-omega-reps N] [-seed N] [-lhs N] [-method cmaes|neldermead] [-max-iter N] [-restarts N] [-polish N] [-two-step] [-bootstrap B] [-workers N] [-resume] [-progress MODE]
  listetak plot RUN_DIR [-metric LIST] [-scenario LIST] [-format png|svg|pdf] [-year N] [-lang en|nb] [-out DIR] [-municipality C|-county C|-centrality N|-size S]
  listetak show RUN_DIR -municipality C|-county C|-centrality N|-size S [-metric LIST] [-scenario LIST] [-format png|svg|pdf] [-lang en|nb] [-out DIR]
  listetak report RUN_DIR [-lang en|nb] [-out FILE] [-scenario LIST] [-year N] [-years LIST]
  listetak version`
