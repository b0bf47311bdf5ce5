//go:build unix

package functions_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamguard/iamguard/internal/fakeaws"
	"github.com/iamguard/iamguard/internal/motoserver"
)

// motoWorld is one end-to-end setting against moto: moto's server holds the
// AWS state the function acts on, the fake answers SNS (the alerts).
type motoWorld struct {
	moto    *motoserver.Server
	fake    *fakeaws.Server
	fakeURL string
	cfg     aws.Config // for the test's own clients of moto
}

// newMotoWorld starts moto and the fake; both stop when the test ends.
func newMotoWorld(t *testing.T) *motoWorld {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: builds the functions and runs them under the emulator and moto")
	}
	w := &motoWorld{moto: motoserver.Start(t)}
	w.fake, w.fakeURL = newFake(t)
	cfg, err := w.moto.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w.cfg = cfg
	return w
}

// invoke sends one event to the function under the emulator, after clearing
// what moto recorded and what the fake published, and returns the operations
// the function called on service (recording every call for the declared =
// granted = exercised check) and the messages it published.
func (w *motoWorld) invoke(t *testing.T, em *emulator, function, requestID, service string, event []byte) (calls []string, msgs []fakeaws.Message) {
	t.Helper()
	w.moto.ResetCalls()
	w.fake.Reset()
	status, body := em.invoke(t, requestID, event)
	if status != http.StatusOK || string(body) != "null" {
		t.Fatalf("invoke = %d %s, want 200 null", status, body)
	}
	for _, c := range w.moto.Calls() {
		// The outcome table's calls are a base statement of every acting
		// role (dynamostore.Calls), like sns:Publish, not a declared call;
		// so is the organisation shape's sts:AssumeRole of the member
		// accounts' responder roles (infra's organisation tests check it).
		if c.Service != "dynamodb" && c.Service != "sts" {
			observeCall(function, c.Service+":"+c.Operation)
		}
		if c.Service == service {
			calls = append(calls, c.Operation)
		}
	}
	observe(function, w.fake.Calls())
	return calls, w.fake.Published()
}
