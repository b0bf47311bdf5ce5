package attempt

import (
	"context"
	"errors"
	"sync"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Log records the attempts of one call. Its zero value is ready; give
// Stack to the call through the client's APIOptions.
type Log struct {
	mu       sync.Mutex
	attempts int
	unknown  int
}

// middlewareID names the recorder in the SDK's middleware stack.
const middlewareID = "iamguard.AttemptLog"

// Stack adds the recorder to a call's middleware stack, just after the
// SDK's retry middleware ("Retry"), so that it sees every attempt.
func (l *Log) Stack(stack *middleware.Stack) error {
	return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc(middlewareID,
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleFinalize(ctx, in)
			l.mu.Lock()
			l.attempts++
			if Unknown(err) {
				l.unknown++
			}
			l.mu.Unlock()
			return out, md, err
		}), "Retry", middleware.After)
}

// Attempts is the number of attempts made.
func (l *Log) Attempts() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.attempts
}

// Unsure reports whether an attempt before the last one ended without
// telling whether the service applied it: then the last answer may be about
// a change that attempt made.
func (l *Log) Unsure() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.unknown > 0 && l.attempts > 1
}

// Unknown reports whether an attempt's error leaves its effect unknown: the
// request may have reached the service (no answer arrived, or the answer is
// a server error, 5xx). A 4xx answer is the service's verdict on the
// request, and no error is a success.
func Unknown(err error) bool {
	if err == nil {
		return false
	}
	// The SDK wraps a send failure in a ResponseError of status 0: look
	// for the send failure first.
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var resp interface{ HTTPStatusCode() int }
	if errors.As(err, &resp) {
		code := resp.HTTPStatusCode()
		return code == 0 || code >= 500
	}
	return false
}
