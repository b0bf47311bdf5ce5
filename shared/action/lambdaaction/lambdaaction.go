// Package lambdaaction carries out iamguard's Lambda response action
// (action.DeleteFunctionConcurrency) for the functions whose rules plan it.
//
// It decides how Lambda's answers read: a reserved concurrency other than 0
// means someone has set a limit since, which iamguard leaves alone; a
// function that no longer exists only a redeploy restores. It must never
// set a limit, change code or configuration, or delete a function.
package lambdaaction

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/regional"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// deleteConcurrencyAPI is what action.DeleteFunctionConcurrency calls.
type deleteConcurrencyAPI interface {
	GetFunctionConcurrency(ctx context.Context, in *lambda.GetFunctionConcurrencyInput, optFns ...func(*lambda.Options)) (*lambda.GetFunctionConcurrencyOutput, error)
	DeleteFunctionConcurrency(ctx context.Context, in *lambda.DeleteFunctionConcurrencyInput, optFns ...func(*lambda.Options)) (*lambda.DeleteFunctionConcurrencyOutput, error)
}

var _ deleteConcurrencyAPI = (*lambda.Client)(nil)

// Executors returns the executor of every Lambda action, with one client
// per Region a plan names.
func Executors(cfg aws.Config) remediate.Executors {
	clients := regional.New(cfg, func(cfg aws.Config, region string) *lambda.Client {
		return lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.Region = region })
	})
	return remediate.Executors{action.DeleteFunctionConcurrency.ID: deleteConcurrency{api: func(region string) deleteConcurrencyAPI { return clients.Get(region) }}}
}

type deleteConcurrency struct {
	api func(region string) deleteConcurrencyAPI
}

// Tags: iamguard's own functions carry no exemption.
func (deleteConcurrency) Tags(context.Context, *finding.Remediation) (map[string]string, error) {
	return nil, nil
}

// Check reads the reserved concurrency: only a limit of 0 is lifted.
func (e deleteConcurrency) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	name, region := plan.Parameters["FunctionName"], plan.Parameters["Region"]
	out, err := e.api(region).GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	switch {
	case gone(err):
		return "", &remediate.RefusedError{Reason: deletedSince(name, region)}
	case err != nil:
		return "", fmt.Errorf("get the concurrency of function %s in %s: %w", name, region, err)
	case out.ReservedConcurrentExecutions == nil:
		return "nothing to undo: function " + name + " has no reserved concurrency", nil
	case *out.ReservedConcurrentExecutions != 0:
		return "nothing to undo: function " + name + " has a reserved concurrency of " + strconv.Itoa(int(*out.ReservedConcurrentExecutions)) +
			" now, set since; iamguard lifts only a limit of 0", nil
	}
	return "", nil
}

func (e deleteConcurrency) Do(ctx context.Context, plan *finding.Remediation) error {
	name, region := plan.Parameters["FunctionName"], plan.Parameters["Region"]
	_, err := e.api(region).DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(name)})
	if gone(err) {
		return &remediate.RefusedError{Reason: deletedSince(name, region)}
	}
	if err != nil {
		return fmt.Errorf("delete the concurrency limit of function %s in %s: %w", name, region, err)
	}
	return nil
}

func deletedSince(name, region string) string {
	return "Lambda says function " + name + " no longer exists in " + region + ": redeploy the stack (cdk deploy) to recreate it"
}

func gone(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}
