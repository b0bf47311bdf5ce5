package main

// This file derives, from the Go source of shared/remediate and shared/guard,
// the IAM API operations each function family's code can call, so that the
// roles can be checked against the code rather than against a second list
// typed by hand. The derivation:
//
//  1. The operations are the methods of the consumer-side interfaces in
//     shared/remediate/iam.go (IAMAPI, PolicyReader). A call X.Op(...) of one
//     of them, or a paginator constructor iam.NewOpPaginator(...), is a call
//     of Op. Calls between the package's own functions and methods are
//     followed, so each function or method has the set of operations it can
//     reach.
//  2. shared/guard/aws.go's NewFromAWS switch says which families get an IAM
//     client (iam.NewFromConfig) and which also resolve policies from IAM
//     (remediate.IAMResolver, whose PolicyVersion method is then reachable).
//     A family with no case gets no IAM client, and so calls nothing.
//  3. For a family with a client, the rollbacks it can run are its rules'
//     planned actions (rules.Rule.Remediates). Each case of the switch in
//     Remediator.execute that reaches one of them contributes every operation
//     it reaches (the reads that make a rollback idempotent, and the change).
//     Undo steps (Attach*, Put*) are never reached by execute: they are for
//     people, and no role gets them.
//  4. Before any rollback, Remediator.exemptByTag reads the target's tags: its
//     switch maps a target kind ("user", "role", "policy") to the operation.
//     The kind of a planned change's target follows IAM's naming: an
//     operation on a user's access key or on a user's, role's or group's
//     policy names the entity; the remaining Policy operations act on a
//     managed policy.
//
// When functions/testdata/e2e/iam-actions-<family>.txt exists (written by
// the functions' end-to-end tests: the IAM actions each function actually
// called against the fake AWS), the role must match that file too.

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/shared/rules"
)

// sourceModel is what the derivation reads from the source.
type sourceModel struct {
	ops      map[string]bool            // the IAM operations the interfaces declare
	reach    map[string]map[string]bool // function or Type.method → operations it can reach
	execute  []map[string]bool          // operations reached by each case of Remediator.execute
	tagCheck map[string]map[string]bool // exemptByTag: target kind → operations
	wiring   map[string]familyWiring    // guard.NewFromAWS, per family
}

type familyWiring struct {
	iamClient   bool
	iamResolver bool
}

var paginatorRE = regexp.MustCompile(`^New(\w+)Paginator$`)

// parseDir parses the non-test Go files of a folder.
func parseDir(t *testing.T, dir string) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		files = append(files, f)
	}
	return fset, files
}

// funcKey names a declaration: "Type.method" or "function".
func funcKey(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	typ := fd.Recv.List[0].Type
	if st, ok := typ.(*ast.StarExpr); ok {
		typ = st.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 || len(fd.Recv.List[0].Names) == 0 {
		return ""
	}
	return fd.Recv.List[0].Names[0].Name
}

// calls returns the operations a node calls directly and the package
// functions or methods it calls.
func calls(n ast.Node, fd *ast.FuncDecl, ops map[string]bool, decls map[string]*ast.FuncDecl) (direct, callees map[string]bool) {
	direct, callees = map[string]bool{}, map[string]bool{}
	recvType, _, _ := strings.Cut(funcKey(fd), ".")
	recv := recvName(fd)
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		switch fn := call.Fun.(type) {
		case *ast.SelectorExpr:
			x, isIdent := fn.X.(*ast.Ident)
			if isIdent && x.Name == "iam" {
				if m := paginatorRE.FindStringSubmatch(fn.Sel.Name); m != nil && ops[m[1]] {
					direct[m[1]] = true
				}
				return true
			}
			if ops[fn.Sel.Name] {
				direct[fn.Sel.Name] = true
			}
			if isIdent && recv != "" && x.Name == recv {
				if _, ok := decls[recvType+"."+fn.Sel.Name]; ok {
					callees[recvType+"."+fn.Sel.Name] = true
				}
			}
		case *ast.Ident:
			if _, ok := decls[fn.Name]; ok {
				callees[fn.Name] = true
			}
		}
		return true
	})
	return direct, callees
}

func loadSourceModel(t *testing.T, repoRoot string) *sourceModel {
	t.Helper()
	m := &sourceModel{ops: map[string]bool{}, reach: map[string]map[string]bool{}, tagCheck: map[string]map[string]bool{}, wiring: map[string]familyWiring{}}
	_, files := parseDir(t, filepath.Join(repoRoot, "shared", "remediate"))

	decls := map[string]*ast.FuncDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				decls[funcKey(d)] = d
			case *ast.GenDecl:
				for _, s := range d.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok || (ts.Name.Name != "IAMAPI" && ts.Name.Name != "PolicyReader") {
						continue
					}
					for _, meth := range ts.Type.(*ast.InterfaceType).Methods.List {
						for _, n := range meth.Names {
							m.ops[n.Name] = true
						}
					}
				}
			}
		}
	}
	if len(m.ops) == 0 {
		t.Fatal("shared/remediate declares no IAMAPI or PolicyReader methods")
	}

	direct := map[string]map[string]bool{}
	edges := map[string]map[string]bool{}
	for k, fd := range decls {
		if fd.Body != nil {
			direct[k], edges[k] = calls(fd.Body, fd, m.ops, decls)
		}
	}
	var closure func(k string, seen map[string]bool, out map[string]bool)
	closure = func(k string, seen map[string]bool, out map[string]bool) {
		if seen[k] {
			return
		}
		seen[k] = true
		for op := range direct[k] {
			out[op] = true
		}
		for c := range edges[k] {
			closure(c, seen, out)
		}
	}
	reachFrom := func(n ast.Node, fd *ast.FuncDecl) map[string]bool {
		d, c := calls(n, fd, m.ops, decls)
		out := map[string]bool{}
		for op := range d {
			out[op] = true
		}
		seen := map[string]bool{}
		for k := range c {
			closure(k, seen, out)
		}
		return out
	}
	for k := range decls {
		out := map[string]bool{}
		closure(k, map[string]bool{}, out)
		m.reach[k] = out
	}

	exec := decls["Remediator.execute"]
	if exec == nil {
		t.Fatal("shared/remediate has no Remediator.execute")
	}
	ast.Inspect(exec.Body, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if !ok || sw.Tag != nil || m.execute != nil {
			return true
		}
		m.execute = []map[string]bool{}
		for _, s := range sw.Body.List {
			m.execute = append(m.execute, reachFrom(s, exec))
		}
		return false
	})
	if len(m.execute) == 0 {
		t.Fatal("Remediator.execute has no switch of rollback actions")
	}

	tags := decls["Remediator.exemptByTag"]
	if tags == nil {
		t.Fatal("shared/remediate has no Remediator.exemptByTag")
	}
	ast.Inspect(tags.Body, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if !ok || sw.Tag == nil {
			return true
		}
		for _, s := range sw.Body.List {
			cc := s.(*ast.CaseClause)
			for _, e := range cc.List {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					kind, _ := strconv.Unquote(lit.Value)
					m.tagCheck[kind] = reachFrom(cc, tags)
				}
			}
		}
		return false
	})
	if len(m.tagCheck) == 0 {
		t.Fatal("Remediator.exemptByTag has no switch of target kinds")
	}

	m.wiring = loadWiring(t, repoRoot)
	return m
}

// loadWiring reads guard.NewFromAWS's switch on the family.
func loadWiring(t *testing.T, repoRoot string) map[string]familyWiring {
	t.Helper()
	familyConst := map[string]string{}
	_, rulesFiles := parseDir(t, filepath.Join(repoRoot, "shared", "rules"))
	for _, f := range rulesFiles {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(n.Name, "Family") {
							familyConst[n.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	_, guardFiles := parseDir(t, filepath.Join(repoRoot, "shared", "guard"))
	wiring := map[string]familyWiring{}
	found := false
	for _, f := range guardFiles {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != "NewFromAWS" {
				continue
			}
			found = true
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				sw, ok := n.(*ast.SwitchStmt)
				if !ok {
					return true
				}
				for _, s := range sw.Body.List {
					cc := s.(*ast.CaseClause)
					var w familyWiring
					ast.Inspect(cc, func(n ast.Node) bool {
						switch x := n.(type) {
						case *ast.SelectorExpr:
							if id, ok := x.X.(*ast.Ident); ok && id.Name == "iam" && x.Sel.Name == "NewFromConfig" {
								w.iamClient = true
							}
							if id, ok := x.X.(*ast.Ident); ok && id.Name == "remediate" && x.Sel.Name == "IAMResolver" {
								w.iamResolver = true
							}
						}
						return true
					})
					for _, e := range cc.List {
						sel, ok := e.(*ast.SelectorExpr)
						if !ok {
							t.Fatalf("guard.NewFromAWS: case %T is not rules.FamilyX", e)
						}
						fam, ok := familyConst[sel.Sel.Name]
						if !ok {
							t.Fatalf("guard.NewFromAWS: case %s is not a family constant of shared/rules", sel.Sel.Name)
						}
						wiring[fam] = w
					}
				}
				return false
			})
		}
	}
	if !found {
		t.Fatal("shared/guard has no NewFromAWS")
	}
	return wiring
}

// targetKind is the kind of IAM entity a planned change acts on, from its name.
func targetKind(op string) string {
	switch {
	case strings.Contains(op, "User") || strings.Contains(op, "AccessKey"):
		return "user"
	case strings.Contains(op, "Role"):
		return "role"
	case strings.Contains(op, "Group"):
		return "group"
	case strings.Contains(op, "Policy"):
		return "policy"
	}
	return ""
}

// derivedIAMActions returns the "iam:Op" actions a family's code can call, sorted.
func (m *sourceModel) derivedIAMActions(family string) []string {
	w := m.wiring[family]
	out := map[string]bool{}
	if w.iamClient {
		planned := map[string]bool{}
		for _, r := range rules.ForFamily(family) {
			for _, a := range r.Remediates {
				planned[strings.TrimPrefix(a, "iam:")] = true
			}
		}
		for _, clause := range m.execute {
			var changes []string
			for op := range clause {
				if planned[op] {
					changes = append(changes, op)
				}
			}
			if len(changes) == 0 {
				continue
			}
			for op := range clause {
				out[op] = true
			}
			for _, c := range changes {
				for op := range m.tagCheck[targetKind(c)] {
					out[op] = true
				}
			}
		}
	}
	if w.iamResolver {
		for op := range m.reach["IAMResolver.PolicyVersion"] {
			out[op] = true
		}
	}
	var actions []string
	for op := range out {
		actions = append(actions, "iam:"+op)
	}
	sort.Strings(actions)
	return actions
}

// tableIAMActions returns the actions familyIAM grants a family, sorted.
func tableIAMActions(family string) []string {
	var out []string
	for _, g := range familyIAM[family] {
		out = append(out, g.Action)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// TestFamilyIAMMatchesSource checks the stack's table of IAM grants against
// the operations derived from the source, family by family.
func TestFamilyIAMMatchesSource(t *testing.T) {
	m := loadSourceModel(t, "..")
	for _, fam := range rules.Families() {
		got, want := tableIAMActions(fam), m.derivedIAMActions(fam)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("familyIAM[%s] differs from the IAM calls its code can make (-derived from source +granted):\n%s", fam, diff)
		}
	}
	// The derivation must have found something, or it proves nothing.
	if len(m.derivedIAMActions(rules.FamilyPolicyGuard)) < 10 || len(m.derivedIAMActions(rules.FamilyAccessKeys)) < 2 {
		t.Errorf("derivation found too little: access-keys %v, policy-guard %v",
			m.derivedIAMActions(rules.FamilyAccessKeys), m.derivedIAMActions(rules.FamilyPolicyGuard))
	}
	if got := m.derivedIAMActions(rules.FamilyRootActivity); len(got) != 0 {
		t.Errorf("root-activity has no IAM client, yet the derivation found %v", got)
	}
}

// e2eIAMActions reads functions/testdata/e2e/iam-actions-<family>.txt: one
// action per line ("iam:Op" or "Op"), # comments. ok is false when the file
// does not exist.
func e2eIAMActions(t *testing.T, repoRoot, family string) (actions []string, ok bool) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "functions", "testdata", "e2e", "iam-actions-"+family+".txt"))
	if os.IsNotExist(err) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("read the e2e IAM actions of %s: %v", family, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.Contains(line, ":") {
			line = "iam:" + line
		}
		actions = append(actions, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read the e2e IAM actions of %s: %v", family, err)
	}
	sort.Strings(actions)
	return slices.Compact(actions), true
}
