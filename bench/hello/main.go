// Command hello is the smallest aws-lambda-go function: it does nothing. The
// functions benchmarks (functions/bench_test.go) start it under the Runtime
// Interface Emulator next to each iamguard bootstrap, so that their cold
// start is read against the runtime's own.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, e json.RawMessage) error { return nil })
}
