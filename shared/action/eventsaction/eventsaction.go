// Package eventsaction carries out iamguard's EventBridge response action
// (action.EnableRule) for the functions whose rules plan it.
//
// It decides where to call: a rule lives in one Region, which the plan
// names, so it keeps one client per Region. It decides how EventBridge's
// answers read: ResourceNotFoundException means the rule was deleted, which
// only a redeploy repairs. It must never disable, delete or retarget a rule,
// and acts only on the rules the plan names (guardrail-tampering plans only
// iamguard's own).
package eventsaction

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/regional"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// enableRuleAPI is what action.EnableRule calls.
type enableRuleAPI interface {
	DescribeRule(ctx context.Context, in *eventbridge.DescribeRuleInput, optFns ...func(*eventbridge.Options)) (*eventbridge.DescribeRuleOutput, error)
	EnableRule(ctx context.Context, in *eventbridge.EnableRuleInput, optFns ...func(*eventbridge.Options)) (*eventbridge.EnableRuleOutput, error)
}

var _ enableRuleAPI = (*eventbridge.Client)(nil)

// Executors returns the executor of every EventBridge action, with clients
// built from cfg for each Region a plan names (once per Region per cold
// start).
func Executors(cfg aws.Config) remediate.Executors {
	clients := regional.New(cfg, func(cfg aws.Config, region string) *eventbridge.Client {
		return eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { o.Region = region })
	})
	return remediate.Executors{action.EnableRule.ID: enableRule{api: func(region string) enableRuleAPI { return clients.Get(region) }}}
}

// enableRule enables a disabled iamguard rule in its Region.
type enableRule struct {
	api func(region string) enableRuleAPI
}

// Tags: iamguard's own rules carry no exemption; exempting the guardrail
// from itself is what exemptPrincipals (the actor) is for.
func (enableRule) Tags(context.Context, *finding.Remediation) (map[string]string, error) {
	return nil, nil
}

// Check reads the rule's state: enabled already means done; gone is refused.
func (e enableRule) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	name, region := plan.Parameters["Name"], plan.Parameters["Region"]
	out, err := e.api(region).DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
	switch {
	case gone(err):
		return "", &remediate.RefusedError{Reason: deletedSince(name, region)}
	case err != nil:
		return "", fmt.Errorf("describe rule %s in %s: %w", name, region, err)
	case out.State == types.RuleStateEnabled || out.State == types.RuleStateEnabledWithAllCloudtrailManagementEvents:
		return "nothing to undo: rule " + name + " is " + string(out.State), nil
	}
	return "", nil
}

func (e enableRule) Do(ctx context.Context, plan *finding.Remediation) error {
	name, region := plan.Parameters["Name"], plan.Parameters["Region"]
	_, err := e.api(region).EnableRule(ctx, &eventbridge.EnableRuleInput{Name: aws.String(name)})
	if gone(err) {
		return &remediate.RefusedError{Reason: deletedSince(name, region)}
	}
	if err != nil {
		return fmt.Errorf("enable rule %s in %s: %w", name, region, err)
	}
	return nil
}

func deletedSince(name, region string) string {
	return "EventBridge says rule " + name + " no longer exists in " + region + ": it was deleted after it was disabled; " +
		"redeploy the stack (cdk deploy) to recreate it"
}

func gone(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}
