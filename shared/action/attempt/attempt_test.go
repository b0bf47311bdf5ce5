package attempt

import (
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func responseError(status int, err error) error {
	return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err}}
}

func TestUnknown(t *testing.T) {
	reset := &smithyhttp.RequestSendError{Err: fmt.Errorf("read: %w", syscall.ECONNRESET)}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"success", nil, false},
		{"connection reset, as the SDK wraps it", responseError(0, reset), true},
		{"send failure alone", reset, true},
		{"server error", responseError(500, errors.New("ServiceFailure")), true},
		{"unavailable", responseError(503, errors.New("ServiceUnavailable")), true},
		{"the service's verdict", responseError(404, errors.New("NoSuchEntity")), false},
		{"throttled", responseError(400, errors.New("Throttling")), false},
		{"no response at all", errors.New("signing failed"), false},
	} {
		if got := Unknown(tc.err); got != tc.want {
			t.Errorf("Unknown(%s: %v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestUnsureNeedsAnEarlierAttempt(t *testing.T) {
	var l Log
	l.attempts, l.unknown = 1, 1
	if l.Unsure() {
		t.Error("Unsure() after one failed attempt = true, want false: no later answer to doubt")
	}
	l.attempts = 2
	if !l.Unsure() {
		t.Error("Unsure() after an unknown attempt and a retry = false, want true")
	}
}
