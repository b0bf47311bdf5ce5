package guard

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/iamguard/iamguard/shared/awsenv"
	"github.com/iamguard/iamguard/shared/config"
	"github.com/iamguard/iamguard/shared/notify"
	"github.com/iamguard/iamguard/shared/outcome"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/rules"
)

// Wiring is what a function's main builds from the AWS configuration once per
// cold start: exactly the clients its family's actions and lookups declare.
type Wiring struct {
	// Executors carry out the family's actions; nil when it has none.
	Executors remediate.Executors
	// Resolver finds documents an event names but does not carry; nil means
	// the embedded AWS managed-policy snapshot alone.
	Resolver rules.Resolver
	// Confirmer holds rollbacks until CloudTrail confirms their event, when
	// the configuration names a queue (IAMGUARD_CONFIRM_QUEUE_URL); nil for
	// a family that never rolls back.
	Confirmer Confirmer
	// Outcomes claims and records each rollback's outcome (the table
	// named by IAMGUARD_OUTCOME_TABLE); nil means none.
	Outcomes outcome.Store
	// Account builds one account's executors, resolver and CloudTrail
	// lookup from an AWS configuration whose credentials are that
	// account's. When set, Main builds the function's own account's with
	// it (Executors and Resolver above are then not used) and, with the
	// organisation shape, each member account's from its responder role.
	Account func(aws.Config) Clients
	// Assume opens a session of a member account's responder role
	// (member.Assumer.Assume); required, with Account, for the
	// organisation shape.
	Assume AssumeFunc
	// Parents returns the organisational units an account sits in
	// (member.Tree.Parents); used only when an override names an OU.
	Parents func(ctx context.Context, account string) ([]string, error)
}

// Main is the whole of a function's main but its wiring: read the
// configuration through getenv (os.Getenv), build the AWS configuration and
// SNS client, ask wire (nil for a notify-only family) for the family's own
// clients, given the AWS configuration and the function's, and hand the handler to the Lambda runtime. It returns only when
// start-up fails, with the exit status that fails the function's INIT (not
// an invocation).
func Main(family *rules.Family, getenv func(string) string, wire func(aws.Config, config.Config) Wiring) int {
	slog.SetDefault(lambdacontext.NewLogger())
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		slog.Error("invalid configuration", "function", family.ID, "err", err)
		return 1
	}
	awsCfg, err := awsenv.Config(context.Background(), AppID, getenv)
	if err != nil {
		slog.Error("load AWS config", "function", family.ID, "err", err)
		return 1
	}
	var w Wiring
	if wire != nil {
		w = wire(awsCfg, cfg)
	}
	if w.Account != nil {
		own := w.Account(awsCfg)
		w.Executors, w.Resolver = own.Executors, own.Resolver
	}
	if cfg.Organization() && len(family.Actions()) > 0 && (w.Account == nil || w.Assume == nil) {
		slog.Error("wire handler", "function", family.ID, "err", "the organisation shape ("+config.EnvOrganizationID+") needs the main to wire Account and Assume")
		return 1
	}
	pub := notify.NewPublisher(sns.NewFromConfig(awsCfg), cfg.TopicARN)
	var ids []string
	for _, a := range family.Actions() {
		ids = append(ids, a.ID)
	}
	h, err := New(family, cfg, w.Resolver, remediate.New(cfg, w.Executors.Only(ids...)), pub)
	if err != nil {
		slog.Error("wire handler", "function", family.ID, "err", err)
		return 1
	}
	if w.Confirmer != nil {
		h.SetConfirmer(w.Confirmer)
	}
	if cfg.Organization() && w.Account != nil && w.Assume != nil {
		a := NewAccounts(cfg, awsCfg, w.Account, w.Assume)
		if cfg.HasOUOverrides() {
			if w.Parents == nil {
				slog.Error("wire handler", "function", family.ID, "err", config.EnvAccountOverrides+" names an OU: the main must wire Parents")
				return 1
			}
			a = a.WithParents(w.Parents)
		}
		h.SetAccounts(a)
	}
	lambda.Start(h.WithOutcomes(w.Outcomes))
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

// AppID tags iamguard's own AWS calls in CloudTrail's userAgent, so that its
// rollbacks can be told apart from people's changes.
const AppID = "iamguard"
