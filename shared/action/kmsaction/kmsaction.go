// Package kmsaction carries out iamguard's KMS response actions
// (action.EnableKey, action.CancelKeyDeletion) for the functions whose rules
// plan them: the stack's alert key, which the topic cannot deliver without.
//
// It decides where to call (the key's Region, one client per Region) and
// how KMS's answers read: NotFoundException means the key is gone, which
// only a redeploy replaces. It must never disable a key, schedule one for
// deletion or change its policy.
package kmsaction

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/regional"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
)

// enableKeyAPI is what action.EnableKey calls.
type enableKeyAPI interface {
	DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	EnableKey(ctx context.Context, in *kms.EnableKeyInput, optFns ...func(*kms.Options)) (*kms.EnableKeyOutput, error)
}

// cancelDeletionAPI is what action.CancelKeyDeletion calls.
type cancelDeletionAPI interface {
	enableKeyAPI
	CancelKeyDeletion(ctx context.Context, in *kms.CancelKeyDeletionInput, optFns ...func(*kms.Options)) (*kms.CancelKeyDeletionOutput, error)
}

var _ cancelDeletionAPI = (*kms.Client)(nil)

// Executors returns the executor of every KMS action, with one client per
// Region a plan names.
func Executors(cfg aws.Config) remediate.Executors {
	clients := regional.New(cfg, func(cfg aws.Config, region string) *kms.Client {
		return kms.NewFromConfig(cfg, func(o *kms.Options) { o.Region = region })
	})
	return remediate.Executors{
		action.EnableKey.ID:         enableKey{api: func(region string) enableKeyAPI { return clients.Get(region) }},
		action.CancelKeyDeletion.ID: cancelDeletion{api: func(region string) cancelDeletionAPI { return clients.Get(region) }},
	}
}

// state reads the key's state: Enabled already means done; gone is refused.
func state(ctx context.Context, api enableKeyAPI, id, region string) (types.KeyState, string, error) {
	out, err := api.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	switch {
	case gone(err):
		return "", "", &remediate.RefusedError{Reason: "KMS says key " + id + " no longer exists in " + region + ": redeploy the stack (cdk deploy) for a new alert key"}
	case err != nil:
		return "", "", fmt.Errorf("describe key %s in %s: %w", id, region, err)
	case out.KeyMetadata == nil:
		return "", "", fmt.Errorf("describe key %s in %s: KMS returned no key metadata", id, region)
	case out.KeyMetadata.KeyState == types.KeyStateEnabled:
		return types.KeyStateEnabled, "nothing to undo: key " + id + " is enabled", nil
	}
	return out.KeyMetadata.KeyState, "", nil
}

// enableKey enables a disabled alert key.
type enableKey struct {
	api func(region string) enableKeyAPI
}

// Tags: the alert key is iamguard's own; the IAM condition on AlertKeyTag
// keeps the call to it.
func (enableKey) Tags(context.Context, *finding.Remediation) (map[string]string, error) {
	return nil, nil
}

func (e enableKey) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	id, region := plan.Parameters["KeyId"], plan.Parameters["Region"]
	st, done, err := state(ctx, e.api(region), id, region)
	if err == nil && st == types.KeyStatePendingDeletion {
		return "", &remediate.RefusedError{Reason: "key " + id + " is pending deletion since: the ScheduleKeyDeletion event's rollback cancels that"}
	}
	return done, err
}

func (e enableKey) Do(ctx context.Context, plan *finding.Remediation) error {
	id, region := plan.Parameters["KeyId"], plan.Parameters["Region"]
	if _, err := e.api(region).EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)}); err != nil {
		return fmt.Errorf("enable key %s in %s: %w", id, region, err)
	}
	return nil
}

// cancelDeletion cancels a key's scheduled deletion, then enables it.
type cancelDeletion struct {
	api func(region string) cancelDeletionAPI
}

func (cancelDeletion) Tags(context.Context, *finding.Remediation) (map[string]string, error) {
	return nil, nil
}

func (e cancelDeletion) Check(ctx context.Context, plan *finding.Remediation) (string, error) {
	id, region := plan.Parameters["KeyId"], plan.Parameters["Region"]
	_, done, err := state(ctx, e.api(region), id, region)
	return done, err
}

func (e cancelDeletion) Do(ctx context.Context, plan *finding.Remediation) error {
	id, region := plan.Parameters["KeyId"], plan.Parameters["Region"]
	api := e.api(region)
	st, _, err := state(ctx, api, id, region)
	if err != nil {
		return err
	}
	if st == types.KeyStatePendingDeletion {
		if _, err := api.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)}); err != nil {
			return fmt.Errorf("cancel the deletion of key %s in %s: %w", id, region, err)
		}
	}
	// A key whose deletion is cancelled is disabled.
	if _, err := api.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)}); err != nil {
		return fmt.Errorf("enable key %s in %s after cancelling its deletion: %w", id, region, err)
	}
	return nil
}

func gone(err error) bool {
	var nf *types.NotFoundException
	return errors.As(err, &nf)
}
