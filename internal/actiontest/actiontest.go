// Package actiontest checks, for the executor packages' tests, that each
// executor holds its client through the interface of exactly the calls its
// action declares (package action): no more, no fewer. It is for tests only.
package actiontest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// Remediate runs a finding's planned rollback through the remediator, in
// remediate mode with the threshold at the finding's severity, so that only
// the executors decide the outcome.
func Remediate(t *testing.T, executors remediate.Executors, f finding.Finding) finding.Outcome {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{config.EnvTopicARN: "arn:aws:sns:us-east-1:111122223333:t", config.EnvDefaultMode: "remediate"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.RemediateMinSeverity = f.Severity
	return remediate.New(cfg, executors).Handle(t.Context(), f)
}

// CheckInterfaces fails t for every executor whose field api (an interface,
// or a function returning one) has other methods than its action's declared
// operations, and for every executor that no registered action declares.
func CheckInterfaces(t *testing.T, executors remediate.Executors) {
	t.Helper()
	if len(executors) == 0 {
		t.Fatal("no executors")
	}
	for id, ex := range executors {
		a, ok := action.ByID(id)
		if !ok {
			t.Errorf("executor %s: no registered action", id)
			continue
		}
		v := reflect.ValueOf(ex)
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		f, ok := v.Type().FieldByName("api")
		if !ok {
			t.Errorf("executor %s (%s) has no field api holding its client", id, v.Type())
			continue
		}
		it := f.Type
		if it.Kind() == reflect.Func && it.NumOut() == 1 {
			it = it.Out(0)
		}
		if it.Kind() != reflect.Interface {
			t.Errorf("executor %s: api is %s, not an interface", id, it)
			continue
		}
		var got, want []string
		for i := 0; i < it.NumMethod(); i++ {
			got = append(got, it.Method(i).Name)
		}
		for _, c := range a.Calls {
			want = append(want, c.Operation())
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("executor %s holds its client as %s with methods %v, want exactly the declared calls %v", id, it, got, want)
		}
	}
}
