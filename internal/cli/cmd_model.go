package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

func init() {
	register(&command{Name: "model", Summary: "list, choose and roll back the classification models", Run: runModel})
}

func runModel(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "model", "list [--json] | use NAME@VERSION | rollback NAME")
	asJSON := fs.Bool("json", false, "print JSON Lines (list)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usageError{"model: give list, use NAME@VERSION or rollback NAME"}
	}
	if err := ensureHome(env); err != nil {
		return err
	}
	reg := modelRegistry(env)
	switch rest[0] {
	case "list":
		if len(rest) != 1 {
			return usageError{"model list takes no arguments"}
		}
		list, err := reg.List()
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			for _, m := range list {
				if err := enc.Encode(m); err != nil {
					return err
				}
			}
			return nil
		}
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "no models (this build has no embedded default models)")
		}
		for _, m := range list {
			mark := " "
			if m.Active {
				mark = "*"
			}
			desc := m.ID
			if m.Err != "" {
				desc = "unreadable: " + m.Err
			} else {
				desc += fmt.Sprintf("  %d examples", m.Examples)
				var keys []string
				for k := range m.Metrics {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					desc += fmt.Sprintf("  %s=%.3g", k, m.Metrics[k])
				}
			}
			fmt.Fprintf(env.Stdout, "%s %-24s %s\n", mark, m.Name+"@"+m.Version, desc)
		}
		return nil
	case "use":
		if len(rest) != 2 {
			return usageError{"model use NAME@VERSION"}
		}
		name, version, ok := strings.Cut(rest[1], "@")
		if !ok || name == "" || version == "" {
			return usageError{fmt.Sprintf("model use: %q is not NAME@VERSION", rest[1])}
		}
		if err := reg.Use(name, version); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s@%s is active\n", name, version)
		return nil
	case "rollback":
		if len(rest) != 2 {
			return usageError{"model rollback NAME"}
		}
		v, err := reg.Rollback(rest[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s@%s is active\n", rest[1], v)
		return nil
	}
	return usageError{fmt.Sprintf("model: unknown action %q (want list, use or rollback)", rest[0])}
}
