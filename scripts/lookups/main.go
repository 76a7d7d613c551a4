//go:build linux

// Command lookups times the ways of checking that the source files and
// include folders a build.toml lists exist: the part of generate-torch and
// validate that costs the most on big builds, and what it costs at least.
//
//	go run ./scripts/lookups [-rounds 15] [-wall-ms MS -cpu-ms MS] PROJECT/build.toml
//
// Each round, in a new order, it checks every listed path of the project
//   - with a stat of each path,
//   - by reading each folder that holds two or more of them (openat
//     relative to the project folder, getdents, close; the rest stat'ed),
//     on one thread and on as many as build2cmake uses (up to four),
//   - with build2cmake's own check (config.MissingPaths),
//
// and prints the medians of wall and CPU time (user + system, the whole
// process). The raw variants make the system calls and nothing else (no
// answers kept, no names compared): the floor of each way. With -wall-ms
// and -cpu-ms (the medians of Python's tomllib parse of the same
// build.toml, as scripts/bench-generate.py measures them) it prints
// ratios to them too. Linux only.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

func main() {
	rounds := flag.Int("rounds", 15, "rounds to take the medians of")
	var ref reference
	flag.Float64Var(&ref.wall, "wall-ms", 0, "print ratios of wall time to this time in ms (the tomllib parse)")
	flag.Float64Var(&ref.cpu, "cpu-ms", 0, "print ratios of CPU time to this time in ms (the tomllib parse)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: lookups [-rounds N] [-wall-ms MS -cpu-ms MS] PROJECT/build.toml")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *rounds, ref); err != nil {
		fmt.Fprintln(os.Stderr, "lookups:", err)
		os.Exit(1)
	}
}

// variant is one way of looking the paths up.
type variant struct {
	name string
	run  func(*project) error
}

// reference is the time the ratios are relative to; zero for none.
type reference struct{ wall, cpu float64 }

// project is what the variants look up.
type project struct {
	root    string
	paths   []string // as written, relative
	folders []string // folders holding two or more paths
	alone   []string // paths whose folder holds no other
	loaded  *config.Loaded
}

func run(buildToml string, rounds int, ref reference) error {
	l, err := config.Load(buildToml)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(buildToml)
	if err != nil {
		return err
	}
	p := &project{root: filepath.Dir(abs), loaded: l}
	lists := [][]string{}
	if t := l.Build.Torch; t != nil {
		lists = append(lists, t.Src, t.Include)
	}
	if t := l.Build.TVMFFI; t != nil {
		lists = append(lists, t.Src, t.Include)
	}
	for _, k := range l.Build.Kernels {
		lists = append(lists, k.Src, k.Include)
	}
	perFolder := map[string]int{}
	for _, list := range lists {
		for _, path := range list {
			p.paths = append(p.paths, path)
			perFolder[filepath.Dir(path)]++
		}
	}
	for _, path := range p.paths {
		dir := filepath.Dir(path)
		switch n := perFolder[dir]; {
		case n == 1:
			p.alone = append(p.alone, path)
		case n > 1:
			p.folders = append(p.folders, dir)
			perFolder[dir] = -1 // once
		}
	}
	variants := []variant{
		{"stat each path", statEach},
		{"read each folder", func(p *project) error { return readFolders(p, 1) }},
	}
	// As many threads as build2cmake's check reads folders with.
	if threads := min(runtime.GOMAXPROCS(0), 4); threads > 1 {
		variants = append(variants, variant{fmt.Sprintf("read each folder, %d threads", threads), func(p *project) error { return readFolders(p, threads) }})
	}
	variants = append(variants, variant{"build2cmake's check", missingPaths})
	wall := make([][]float64, len(variants))
	cpu := make([][]float64, len(variants))
	order := make([]int, len(variants))
	for i := range order {
		order[i] = i
	}
	shuffle := rand.New(rand.NewSource(1))
	for r := 0; r <= rounds; r++ {
		shuffle.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			cpu0, start := cpuTime(), time.Now()
			if err := variants[i].run(p); err != nil {
				return fmt.Errorf("%s: %w", variants[i].name, err)
			}
			if r == 0 {
				continue // the first round warms the caches
			}
			wall[i] = append(wall[i], time.Since(start).Seconds()*1000)
			cpu[i] = append(cpu[i], (cpuTime()-cpu0).Seconds()*1000)
		}
	}
	fmt.Printf("    %d paths, %d folders read, %d paths alone, %d rounds, medians:\n", len(p.paths), len(p.folders), len(p.alone), rounds)
	for i, v := range variants {
		w, c := median(wall[i]), median(cpu[i])
		line := fmt.Sprintf("    %-28s %8.1f ms wall %8.1f ms CPU", v.name, w, c)
		if ref.wall > 0 && ref.cpu > 0 {
			line += fmt.Sprintf("   ratio %.3f wall, %.3f CPU", w/ref.wall, c/ref.cpu)
		}
		fmt.Println(line)
	}
	return nil
}

func statEach(p *project) error {
	var st syscall.Stat_t
	for _, path := range p.paths {
		if err := syscall.Stat(p.root+"/"+path, &st); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// readFolders reads every folder of two or more paths with the given
// number of threads, taking the next folder from a shared counter, and
// stats the paths that are alone in their folder.
func readFolders(p *project, threads int) error {
	root, err := syscall.Open(p.root, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(root)
	var next atomic.Int64
	errs := make([]error, threads)
	var wg sync.WaitGroup
	for t := range threads {
		wg.Go(func() {
			buf := make([]byte, 16<<10)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(p.folders) {
					return
				}
				fd, err := syscall.Openat(root, p.folders[i], syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
				if err != nil {
					errs[t] = fmt.Errorf("%s: %w", p.folders[i], err)
					return
				}
				_, err = syscall.Getdents(fd, buf)
				syscall.Close(fd)
				if err != nil {
					errs[t] = fmt.Errorf("%s: %w", p.folders[i], err)
					return
				}
			}
		})
	}
	wg.Wait()
	var st syscall.Stat_t
	for _, path := range p.alone {
		if err := syscall.Stat(p.root+"/"+path, &st); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func missingPaths(p *project) error {
	if errs := config.MissingPaths(p.loaded, p.root); errs != nil {
		return errs
	}
	return nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
