// Command train-defaults trains PAM's default models (spam, kind,
// needs_reply) from ../shared/data/mail, labels/kind.tsv (with -reply-labels
// also labels/reply.tsv, for needs_reply only) and the demo mailbox, evaluates them on held-out mail first, and writes
// internal/ml/models/*.pam. `make models` runs it. The same data gives the
// same files.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/ml/corpus"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "train-defaults:", err)
		os.Exit(1)
	}
}

func run() error {
	mailDir := flag.String("mail", "", "the mail corpora (default: ../shared/data/mail beside the module)")
	labels := flag.String("labels", "labels/kind.tsv", "hand labels")
	replyLabels := flag.String("reply-labels", "", "hand needs_reply labels of training mail without a kind label (labels/reply.tsv), read by needs_reply training and its cross-fit only (empty: none; not in the shipped models, see doc/design/models.md)")
	out := flag.String("out", "internal/ml/models", "where to write the models")
	intentW := flag.Float64("intent", corpus.IntentWeight, "weight of the email-intent sentences in needs_reply training (0: none)")
	cvOnly := flag.Bool("cv", false, "print the cross-fitted needs_reply figures on the training mail only; no unseen figures")
	repliedCheck := flag.Bool("replied-check", false, "compare the weak 'replied' rule (corpus.Replied) with the hand needs_reply labels of the training Enron users")
	weakCheck := flag.Bool("weak-check", false, "compare the weak-label rules with the hand labels of the training part (with -errors: list the disagreements)")
	cvDump := flag.String("cv-dump", "", "with -cv: write each cross-fitted needs_reply score (path, group, truth, score) to this file")
	cvTasks := flag.String("cv-tasks", "both", "with -cv: kind, reply or both")
	cvOn := flag.String("cv-on", "", "with -cv: count kind accuracy only over the paths of this labels file")
	evalOnly := flag.Bool("eval", false, "evaluate only; write nothing")
	evalAlso := flag.String("eval-also", "", "also report the unseen figures separately for the paths of this labels file and for the rest")
	show := flag.Bool("errors", false, "list every error on the unseen part (with -cv: of the kind cross-fit)")
	var so sampleOpts
	flag.IntVar(&so.n, "sample", 0, "print this many messages without a hand label, for labelling by hand (no model is run)")
	flag.StringVar(&so.part, "sample-part", "train", "sample from the training part (train) or the held-out part (unseen)")
	flag.StringVar(&so.group, "sample-group", "", "sample only this group (an Enron user or a SpamAssassin folder)")
	flag.StringVar(&so.weak, "sample-weak", "", "sample only messages of this weak kind (none: no rule fired)")
	flag.StringVar(&so.seed, "sample-seed", "r4", "seed of the sample order")
	flag.IntVar(&so.skip, "sample-skip", 0, "skip this many of the sample order")
	flag.StringVar(&so.notDom, "sample-not-from", "", "leave out senders whose address ends with this (e.g. @enron.com)")
	flag.IntVar(&so.chars, "sample-chars", 900, "characters of text shown per message")
	flag.Float64Var(&corpus.WeightHand, "hand", corpus.WeightHand, "weight of hand labels")
	flag.BoolVar(&corpus.ReplyHandTrain, "reply-labels-train", corpus.ReplyHandTrain, "train needs_reply on the -reply-labels labels (false: only score them in -cv, for a before/after comparison on the same messages)")
	flag.Float64Var(&corpus.WeightReplyHand, "reply-hand", corpus.WeightReplyHand, "weight of the -reply-labels labels in needs_reply training (0: as -hand)")
	flag.BoolVar(&corpus.ReplyAction, "action", corpus.ReplyAction, "action-detector features in needs_reply")
	flag.BoolVar(&corpus.ReplyNoText, "reply-notext", corpus.ReplyNoText, "needs_reply without text words")
	flag.BoolVar(&corpus.KindBalance, "kind-balance", corpus.KindBalance, "kind: balance classes")
	flag.BoolVar(&corpus.KindIDF, "kind-idf", corpus.KindIDF, "kind: TF-IDF features")
	flag.BoolVar(&corpus.KindCues, "kind-cues", corpus.KindCues, "kind: selling/automation cue features")
	flag.BoolVar(&corpus.ReplyCues, "reply-cues", corpus.ReplyCues, "needs_reply: selling/automation cue features")
	flag.BoolVar(&corpus.ReplyAddress, "reply-address", corpus.ReplyAddress, "needs_reply: direct-address features")
	flag.IntVar(&corpus.KindEpochs, "kind-epochs", corpus.KindEpochs, "kind: training epochs (0: default)")
	flag.Float64Var(&corpus.KindL2, "kind-l2", corpus.KindL2, "kind: L2 penalty (0: default)")
	flag.StringVar(&corpus.KindFolds, "kind-folds", corpus.KindFolds, "-cv kind folds: hash (two halves) or user (leave one training user/folder out)")
	flag.StringVar(&corpus.ReplyRule, "reply-rule", corpus.ReplyRule, "needs_reply threshold from the cross-fitted scores: prevalence (as many flagged as hand-labelled positives) or f1 (F1-best)")
	flag.StringVar(&corpus.ReplyFolds, "reply-folds", corpus.ReplyFolds, "needs_reply threshold folds: user (leave one training user/folder out) or hash (two halves)")
	flag.BoolVar(&corpus.ReplyAdaptOn, "adapt", corpus.ReplyAdaptOn, "needs_reply: per-user adaptation of the decision point (ml.ReplyAdapt) in the cross-fit and the evaluation")
	flag.BoolVar(&corpus.ReplyKindGate, "reply-kind-gate", corpus.ReplyKindGate, "needs_reply: decide on ml.GateReply (the probability times the person+notification share of the kind scores)")
	flag.BoolVar(&corpus.WeakNotify, "weak-notify", corpus.WeakNotify, "kind: weak notification labels for system senders, delivery reports, automatic replies and approval requests (corpus.WeakKind)")
	flag.BoolVar(&corpus.WeakPromo, "weak-promo", corpus.WeakPromo, "kind: weak promotion labels for shop mailings without list headers (corpus.WeakKind)")
	flag.BoolVar(&corpus.ReplyApproval, "reply-approval", corpus.ReplyApproval, "needs_reply: raise approval requests addressed to the user alone (ml.ApprovalRequest) to ml.ApprovalScore")
	flag.BoolVar(&corpus.ReplyOuter, "cv-outer", corpus.ReplyOuter, "with -cv: also the outer cross-fit of the needs_reply threshold and adaptation (slow)")
	flag.Float64Var(&corpus.AdaptPrior, "adapt-prior", corpus.AdaptPrior, "needs_reply adaptation: weight of the model's decision point, in messages (0: ml default)")
	flag.IntVar(&corpus.AdaptMin, "adapt-min", corpus.AdaptMin, "needs_reply adaptation: fewest earlier person messages that move the decision point (0: ml default)")
	flag.Float64Var(&corpus.WeightWeak, "weak", corpus.WeightWeak, "weight of weak labels")
	sdev := flag.Bool("spam-dev", false, "compare spam settings on the training part only (see -spam-*)")
	sIDF := flag.Bool("spam-idf", ml.DefaultFeatures(ml.TaskSpam).IDF, "spam: TF-IDF features")
	sBits := flag.Int("spam-bits", ml.DefaultFeatures(ml.TaskSpam).Bits, "spam: hash bits")
	sEpochs := flag.Int("spam-epochs", 0, "spam: epochs (0: default)")
	sL2 := flag.Float64("spam-l2", 0, "spam: L2 (0: default)")
	sChar := flag.Bool("spam-char", ml.DefaultFeatures(ml.TaskSpam).CharMin > 0, "spam: character n-grams")
	sHeaders := flag.Bool("spam-headers", true, "spam: header features")
	sCharMax := flag.Int("spam-charmax", 4, "spam: longest character n-gram with -spam-char")
	sCharBytes := flag.Int("spam-charbytes", 0, "spam: character n-grams over this many bytes (0: default)")
	sHScale := flag.Float64("spam-hscale", float64(ml.DefaultFeatures(ml.TaskSpam).HeaderScale), "spam: scale of the header group (0: 1)")
	sSolver := flag.String("spam-solver", "", "spam: adagrad or lbfgs (empty: default)")
	sC := flag.Float64("spam-c", 0, "spam, lbfgs: inverse regularisation (0: default)")
	sMinDF := flag.Int("spam-mindf", ml.DefaultFeatures(ml.TaskSpam).MinDF, "spam: drop buckets seen in fewer than this many training messages (0: keep all)")
	sBalance := flag.Bool("spam-balance", false, "spam: weight the classes inversely to their frequency")
	sFromChars := flag.Float64("spam-fromchars", float64(ml.DefaultFeatures(ml.TaskSpam).FromChars), "spam: length of the group of character n-grams of the sender's name and address (0: none; needs -spam-char)")
	sLists := flag.String("spam-dev-lists", "", "spam-dev: write fit.tsv and dev.tsv (path<TAB>label) here, for the scikit-learn baseline")
	flag.Parse()
	if *sdev {
		if *mailDir == "" {
			d, err := corpus.FindMailDir(".")
			if err != nil {
				return err
			}
			*mailDir = d
		}
		fs := ml.DefaultFeatures(ml.TaskSpam)
		fs.IDF, fs.Bits = *sIDF, *sBits
		if *sChar {
			fs.CharMin, fs.CharMax = 3, *sCharMax
		} else {
			fs.CharMin, fs.CharMax = 0, 0
		}
		fs.Headers = *sHeaders
		fs.HeaderScale = float32(*sHScale)
		fs.MinDF = *sMinDF
		fs.FromChars = float32(*sFromChars)
		if *sCharBytes > 0 {
			fs.CharBytes = *sCharBytes
		}
		return spamDev(*mailDir, *sLists, ml.TrainOptions{Features: fs, Epochs: *sEpochs, L2: *sL2, Solver: *sSolver, C: *sC, Balance: *sBalance})
	}
	if *mailDir == "" {
		d, err := corpus.FindMailDir(".")
		if err != nil {
			return err
		}
		*mailDir = d
	}
	t0 := time.Now()
	data, err := corpus.LoadKindDataReply(*mailDir, *labels, *replyLabels)
	if err != nil {
		return err
	}
	if so.n > 0 {
		return printSample(os.Stdout, data, so)
	}
	if *repliedCheck {
		var t corpus.ReplyCheck
		for _, c := range data.CheckReplied(false) {
			fmt.Printf("%-14s hand yes: %d replied, %d not; hand no: %d replied, %d not; mailbox %d of %d replied, weak person %d of %d\n",
				c.Group, c.TP, c.FN, c.FP, c.TN, c.Marked, c.Messages, c.PersonMarked, c.Person)
			t.TP, t.FN, t.FP, t.TN = t.TP+c.TP, t.FN+c.FN, t.FP+c.FP, t.TN+c.TN
		}
		p, r := float64(t.TP)/float64(max(1, t.TP+t.FP)), float64(t.TP)/float64(max(1, t.TP+t.FN))
		fmt.Printf("replied as a needs_reply rule on the hand labels: precision %.3f recall %.3f (%d yes, %d no)\n", p, r, t.TP+t.FN, t.FP+t.TN)
		return nil
	}
	if *weakCheck {
		weakConfusion(os.Stdout, data, *show)
		return nil
	}
	var intent []ml.Example
	if *intentW > 0 {
		if intent, err = corpus.IntentExamples(*mailDir, *intentW); err != nil {
			return err
		}
	}
	fmt.Printf("loaded in %v: %d training, %d unseen test, %d spam/ham train\n", time.Since(t0).Round(time.Millisecond), len(data.Train), len(data.Test), len(data.SpamTrain))

	// 1. Evaluation: models that never saw the test users and dates.
	var cv []float64
	corpus.ReplyCV = &cv
	var kcv float64
	if *cvOnly {
		corpus.KindCV = &kcv
		if *cvOn != "" {
			ls, err := corpus.ReadLabels(*cvOn)
			if err != nil {
				return err
			}
			corpus.KindCVOn = map[string]bool{}
			for _, l := range ls {
				corpus.KindCVOn[l.Rel] = true
			}
		}
	}
	if *cvOnly && *show {
		corpus.AdaptDebug = os.Stdout
	}
	if *cvOnly && (*show || *cvDump != "") {
		corpus.ReplyCVScores = map[string]float64{}
		corpus.ReplyCVKind = map[string][]float64{}
	}
	if *cvOnly {
		if err := corpus.CrossFit(data, intent, *cvTasks != "reply", *cvTasks != "kind"); err != nil {
			return err
		}
		if len(cv) == 7 {
			fmt.Printf("needs_reply per-user adaptation: %.3f of person mail flagged at the pooled threshold; F1 %.3f adapted, nested %.3f\n", cv[4], cv[5], cv[6])
		}
		if len(corpus.ReplyOuterCV) == 2 {
			fmt.Printf("needs_reply outer cross-fit (threshold fitted one level down, applied to the model of the other sources): F1 %.3f, adapted %.3f\n", corpus.ReplyOuterCV[0], corpus.ReplyOuterCV[1])
		}
		if len(cv) >= 4 {
			fmt.Printf("needs_reply cross-fitted on hand-labelled training mail (%s folds): AUC %.3f F1 %.3f at threshold %.3f; nested F1 %.3f\n", corpus.ReplyFolds, cv[0], cv[1], cv[2], cv[3])
			if *show {
				for _, l := range data.Train {
					if p, ok := corpus.ReplyCVScores[l.Rel]; ok && (p >= cv[2]) != l.NeedsReply {
						fmt.Printf("   %s reply %v p=%.3f\n", l.Rel, l.NeedsReply, p)
					}
				}
			}
		}
		if *cvDump != "" {
			var b bytes.Buffer
			for _, l := range data.Train {
				if p, ok := corpus.ReplyCVScores[l.Rel]; ok {
					fmt.Fprintf(&b, "%s\t%s\t%v\t%.6f", l.Rel, l.Group, l.NeedsReply, p)
					for _, k := range corpus.ReplyCVKind[l.Rel] {
						fmt.Fprintf(&b, "\t%.4f", k)
					}
					b.WriteByte('\n')
				}
			}
			if err := writeAtomic(*cvDump, b.Bytes()); err != nil {
				return err
			}
		}
		if *cvTasks != "reply" {
			fmt.Printf("kind cross-fitted on hand-labelled training mail (kind model alone, %s folds): accuracy %.3f; %.3f with spam left to the spam model (per group and errors below)\n", corpus.KindFolds, kcv, corpus.KindCVHam)
			var gs []string
			for g := range corpus.KindCVByGroup {
				gs = append(gs, g)
			}
			sort.Strings(gs)
			for _, g := range gs {
				v := corpus.KindCVByGroup[g]
				fmt.Printf("  %-14s kind %d/%d\n", g, v[0], v[1])
			}
			if *show {
				for _, e := range corpus.KindCVErrors {
					fmt.Println("  ", e)
				}
			}
		}
		return nil
	}
	// A metrics map, so that the needs_reply model carries its
	// ml.MetricReplyShare for the adapted evaluation.
	spamM, kindM, replyM, err := corpus.TrainModels(data, intent, map[string]float64{})
	if err != nil {
		return err
	}
	corpus.ReplyCV = nil
	rep := corpus.EvalKind(ml.NewClassifier(spamM, kindM, replyM), data.Test, replyM.Info().Threshold)
	fmt.Printf("needs_reply decision point: %.3f (the cross-fitted threshold, moved to 0.5)\n", replyM.Info().Threshold)
	rep.Print(os.Stdout)
	if corpus.ReplyAdaptOn {
		a := ml.NewReplyAdapt(replyM)
		a.Prior, a.Min = corpus.AdaptPrior, corpus.AdaptMin
		p, r, f := corpus.EvalAdapted(ml.NewClassifier(spamM, kindM, replyM), data, a)
		fmt.Printf("needs_reply adapted per user (share %.3f of person mail, ml.ReplyAdapt): precision %.3f recall %.3f F1 %.3f\n", a.Share, p, r, f)
	}
	if *evalAlso != "" {
		ls, err := corpus.ReadLabels(*evalAlso)
		if err != nil {
			return err
		}
		in := map[string]bool{}
		for _, l := range ls {
			in[l.Rel] = true
		}
		var a, b []corpus.Labelled
		for _, l := range data.Test {
			if in[l.Rel] {
				a = append(a, l)
			} else {
				b = append(b, l)
			}
		}
		c := ml.NewClassifier(spamM, kindM, replyM)
		fmt.Printf("-- only the unseen messages labelled in %s:\n", *evalAlso)
		corpus.EvalKind(c, a, replyM.Info().Threshold).Print(os.Stdout)
		fmt.Printf("-- only the other unseen messages:\n")
		corpus.EvalKind(c, b, replyM.Info().Threshold).Print(os.Stdout)
	}
	if *show {
		for _, e := range rep.Errors {
			fmt.Println("  ", e)
		}
	}

	// Spam: newest 20% of each folder held out.
	tr, te, err := corpus.SpamSplit(*mailDir, 0.2)
	if err != nil {
		return err
	}
	spamEval, err := trainSpam(tr)
	if err != nil {
		return err
	}
	auc, err := spamAUC(spamEval, te)
	if err != nil {
		return err
	}
	fmt.Printf("spam AUC on newest 20%%: %.4f (%d test)\n", auc, len(te))
	if *evalOnly {
		return nil
	}

	// 2. The shipped models train on everything.
	metrics := map[string]float64{
		"test_kind_accuracy": rep.KindAccuracy, "test_needs_reply_f1": rep.ReplyF1,
		"test_needs_reply_precision": rep.ReplyPrecision, "test_needs_reply_recall": rep.ReplyRecall,
		"test_n": float64(rep.N), "test_spam_auc": auc,
	}
	spamM, kindM, replyM, err = corpus.TrainModels(data.All(), intent, metrics)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, m := range []*ml.Model{spamM, kindM, replyM} {
		var b bytes.Buffer
		if err := m.Save(&b); err != nil {
			return err
		}
		p := filepath.Join(*out, m.Info().Name+".pam")
		if err := writeAtomic(p, b.Bytes()); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes) %s\n", p, b.Len(), m)
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
