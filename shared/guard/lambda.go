package guard

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/iamguard/iamguard/shared/awsenv"
	"github.com/iamguard/iamguard/shared/config"
)

// Main is the whole of a function's main: read the configuration through
// getenv (os.Getenv), build the AWS clients once per cold start, and hand the
// handler to the Lambda runtime. It returns only when start-up fails, with
// the exit status that fails the function's INIT (not an invocation).
func Main(family string, getenv func(string) string) int {
	slog.SetDefault(lambdacontext.NewLogger())
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		slog.Error("invalid configuration", "function", family, "err", err)
		return 1
	}
	awsCfg, err := awsenv.Config(context.Background(), AppID, getenv)
	if err != nil {
		slog.Error("load AWS config", "function", family, "err", err)
		return 1
	}
	h, err := NewFromAWS(family, cfg, awsCfg)
	if err != nil {
		slog.Error("wire handler", "function", family, "err", err)
		return 1
	}
	lambda.Start(h)
	return 0
}

var _ lambda.Handler = (*Handler)(nil)

// Invoke implements lambda.Handler, so that the runtime hands Handle the
// payload exactly as it arrived. Given Handle itself, a func(ctx,
// json.RawMessage) error, the runtime would unmarshal the payload first, and
// a body that is not JSON would fail the invocation there, before Handle
// could publish its "could not evaluate" alert.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if err := h.Handle(ctx, payload); err != nil {
		return nil, err
	}
	return []byte("null"), nil
}
