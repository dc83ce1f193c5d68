package when

import (
	"embed"
	"go/scanner"
	"go/token"
	"io/fs"
	"strconv"
	"sync"
)

// The parser only ever matches a word token against a word written in this
// package's source (a pattern, an alternative, a map key), or such a word
// with "s" or "ish" appended (holiday.go, atoms2.go). So a word that
// appears in no string literal here cannot start an expression, and Find
// skips it without running the parser — most words of a sentence. The
// vocabulary is read from the package's own embedded source at first use,
// so it can never fall out of step with the patterns; a test checks on the
// shared corpora that Find gives the same results with and without the
// shortcut.

//go:embed *.go
var sources embed.FS

var (
	vocabOnce sync.Once
	vocab     map[string]bool
)

func loadVocab() map[string]bool {
	vocabOnce.Do(func() {
		v := map[string]bool{}
		fs.WalkDir(sources, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			src, err := sources.ReadFile(path)
			if err != nil {
				return err
			}
			fset := token.NewFileSet()
			f := fset.AddFile(path, -1, len(src))
			var s scanner.Scanner
			s.Init(f, src, nil, 0)
			for {
				_, tk, lit := s.Scan()
				if tk == token.EOF {
					break
				}
				if tk != token.STRING && tk != token.CHAR {
					continue
				}
				str, err := strconv.Unquote(lit)
				if err != nil {
					continue
				}
				for _, t := range lex(str) {
					if isLetter(t.s) {
						// The parser also accepts a pattern word with a
						// plural or possessive s ("Valentines") and with
						// "ish" ("morningish").
						v[t.s], v[t.s+"s"], v[t.s+"ish"] = true, true, true
					}
				}
			}
			return nil
		})
		vocab = v
	})
	return vocab
}

// inVocab reports whether the word token i could be matched by a pattern.
func (p *parser) inVocab(i int) bool {
	t := p.toks[i]
	return t.num || !isLetter(t.s) || loadVocab()[t.s]
}
