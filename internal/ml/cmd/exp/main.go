package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/ml/corpus"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func load(fs []corpus.File) ([]wire.Message, []string) {
	var ms []wire.Message
	var ls []string
	for _, f := range fs {
		m, err := corpus.Read(f.Path, nil)
		if err != nil {
			continue
		}
		ms = append(ms, m)
		ls = append(ls, f.Label)
	}
	return ms, ls
}

func main() {
	md, _ := corpus.FindMailDir(".")
	tr, te, _ := corpus.SpamSplit(md, 0.2)
	trm, trl := load(tr)
	tem, tel := load(te)
	for _, cfg := range os.Args[1:] {
		fs := ml.DefaultFeatures("spam")
		o := ml.TrainOptions{}
		var a, b, c, d, e int
		var bits int
		fmt.Sscanf(cfg, "%d,%d,%d,%d,%d,%d", &a, &b, &c, &d, &e, &bits)
		if bits > 0 {
			fs.Bits = bits
		}
		o.Epochs = a
		o.Rate, _ = strconv.ParseFloat(fmt.Sprint(float64(b)/10), 64)
		if c == 0 {
			fs.CharMin, fs.CharMax = 0, 0
		}
		fs.Bigrams = d == 1
		fs.Headers = e == 1
		o.Features = fs
		o.Balance = os.Getenv("BAL") != ""
		if v, err := strconv.ParseFloat(os.Getenv("L2"), 64); err == nil {
			o.L2 = v
		}
		var ex []ml.Example
		for i := range trm {
			ex = append(ex, ml.Example{Msg: trm[i], Label: trl[i]})
		}
		m, err := ml.Train("spam", ex, o)
		if err != nil {
			panic(err)
		}
		var sc []float64
		var lb []bool
		for i := range tem {
			sc = append(sc, m.Predict(tem[i])[1])
			lb = append(lb, tel[i] == "spam")
		}
		// FPR at 99% recall
		var sp []float64
		for i := range sc {
			if lb[i] {
				sp = append(sp, sc[i])
			}
		}
		sort.Float64s(sp)
		thr := sp[int(0.01*float64(len(sp)))]
		fp, n := 0, 0
		for i := range sc {
			if !lb[i] {
				n++
				if sc[i] >= thr {
					fp++
				}
			}
		}
		fmt.Println(cfg, ml.AUC(sc, lb), float64(fp)/float64(n), fs.Bits)
		if os.Getenv("SHOW") != "" {
			for i := range sc {
				if (lb[i] && sc[i] < 0.5) || (!lb[i] && sc[i] >= thr) {
					fmt.Printf("  %v %.4f %s | %s | %s\n", lb[i], sc[i], tem[i].ID[len(md):], tem[i].From, tem[i].Subject)
				}
			}
		}
	}
}

func init() {
	if len(os.Args) > 1 && os.Args[1] == "split" {
		md, _ := corpus.FindMailDir(".")
		tr, te, _ := corpus.SpamSplit(md, 0.2)
		f, _ := os.Create("/tmp/lab/train.tsv")
		for _, x := range tr {
			fmt.Fprintf(f, "%s\t%s\n", x.Path, x.Label)
		}
		f.Close()
		f, _ = os.Create("/tmp/lab/test.tsv")
		for _, x := range te {
			fmt.Fprintf(f, "%s\t%s\n", x.Path, x.Label)
		}
		f.Close()
		os.Exit(0)
	}
}
