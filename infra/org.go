package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudformation"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/iamguard/iamguard/shared/config"
)

// The organisation shape: this stack is the central one, in the security
// account (a delegated administrator for CloudFormation StackSets); a
// StackSet deploys the member template (member.go) to every account of the
// member OUs, in us-east-1 and every forwardRegions Region. Member accounts
// forward the rules' events to the organisation's bus here; the functions
// act back through each account's responder role.

// stackSetsMemberRolePattern is the service-linked role as which
// CloudFormation deploys a service-managed StackSet's stacks in the member
// accounts.
const stackSetsMemberRolePattern = "arn:${AWS::Partition}:iam::*:role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember"

// orgBusName is the name of the organisation's bus.
func orgBusName(stackName string) string { return stackName + "-org" }

// maxTemplateBody is CloudFormation's limit on a TemplateBody, in bytes.
const maxTemplateBody = 51200

// templateBodyLimit is the largest member template sent as TemplateBody;
// a larger one goes as an asset (TemplateURL). Tests lower it to reach that
// path without synthesizing a dozen Regions.
var templateBodyLimit = maxTemplateBody

// addOrgBus creates the bus the member accounts forward to. Only the
// organisation's principals may put events on it (aws:PrincipalOrgID); an
// event that claims an AWS source is still checked by the functions
// (provenance) and, before any rollback, by CloudTrail in its own account.
func (g *guardrail) addOrgBus() {
	g.orgBus = awsevents.NewEventBus(g.stack, jsii.String("OrgBus"), &awsevents.EventBusProps{
		EventBusName: jsii.String(orgBusName(*g.stack.StackName())),
		Description:  jsii.String("iamguard: the organisation's accounts forward their rules' events here"),
	})
	awsevents.NewCfnEventBusPolicy(g.stack, jsii.String("OrgBusPolicy"), &awsevents.CfnEventBusPolicyProps{
		EventBusName: g.orgBus.EventBusName(),
		StatementId:  jsii.String("AllowTheOrganizationToPutEvents"),
		Statement: map[string]any{
			"Sid":       "AllowTheOrganizationToPutEvents",
			"Effect":    "Allow",
			"Principal": "*",
			"Action":    "events:PutEvents",
			"Resource":  g.orgBus.EventBusArn(),
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": g.settings.OrganizationID}},
		},
	})
}

// responderRoleARNPattern is every account's responder role.
func (g *guardrail) responderRoleARNPattern() *string {
	return jsii.String("arn:" + *g.stack.Partition() + ":iam::*:role/" + ResponderRoleName(*g.stack.StackName()))
}

// assumeResponderStatement lets a function's role open sessions of the
// responder role in the organisation's accounts, and in no other account:
// aws:ResourceOrgID is the organisation of the account that owns the role,
// so IAM refuses the role of an account outside it, even one named alike.
func (g *guardrail) assumeResponderStatement() awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(assumeResponderSid),
		Actions:    jsii.Strings("sts:AssumeRole"),
		Resources:  &[]*string{g.responderRoleARNPattern()},
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:ResourceOrgID": g.settings.OrganizationID}},
	})
}

// assumeResponderSid names the statement that reaches the member accounts.
const assumeResponderSid = "AssumeResponderInTheOrganization"

// listParentsSid names the statement that reads where an account sits.
const listParentsSid = "ListParentsInTheOrganization"

// listParentsStatement lets a function's role find the OUs an account sits
// in (organizations:ListParents, which a delegated administrator may call),
// for the overrides by OU: on the organisation's accounts and OUs only
// (the management account's ID, which their ARNs carry, is not known here).
func (g *guardrail) listParentsStatement() awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String(listParentsSid),
		Actions:   jsii.Strings("organizations:ListParents"),
		Resources: jsii.Strings(g.orgTreeARNs()...),
	})
}

// orgTreeARNs are the ARN patterns of the organisation's accounts and OUs.
func (g *guardrail) orgTreeARNs() []string {
	var out []string
	for _, kind := range []string{"account", "ou"} {
		out = append(out, "arn:"+*g.stack.Partition()+":organizations::*:"+kind+"/"+g.settings.OrganizationID+"/*")
	}
	return out
}

// orgEnv sets a function's organisation variables.
func (g *guardrail) orgEnv(gf *guardFunction, env map[string]*string) {
	env[config.EnvOrganizationID] = jsii.String(g.settings.OrganizationID)
	env[config.EnvResponderRole] = jsii.String(ResponderRoleName(*g.stack.StackName()))
	var ids []string
	for _, r := range gf.family.Rules() {
		ids = append(ids, r.ID)
	}
	if o := g.settings.overridesEnv(ids); o != "" {
		env[config.EnvAccountOverrides] = jsii.String(o)
	}
}

// addMembers creates the StackSet that deploys the member template to the
// member OUs' accounts (not this one: its own stack guards it), in
// us-east-1 and every forwardRegions Region, and to accounts that join
// them later. The template is synthesized here, in a separate app, and
// handed over as TemplateBody: its values that only this stack knows (the
// bus, the functions' roles) are StackSet parameters.
func (g *guardrail) addMembers() {
	body, err := memberTemplateBody(g.settings, *g.stack.StackName())
	if err != nil {
		panic(err)
	}
	var templateBody, templateURL *string
	if len(body) <= templateBodyLimit {
		templateBody = jsii.String(body)
	} else {
		// Over CloudFormation's TemplateBody limit (many Regions, many
		// remediate rules): the template goes as a file asset, which cdk
		// deploy uploads to the CDK bootstrap bucket, and the StackSet
		// reads it from there.
		templateURL = memberTemplateAsset(g.stack, body)
	}
	var roleARNs []*string
	for _, gf := range g.functions {
		if len(gf.family.Actions()) > 0 {
			roleARNs = append(roleARNs, gf.role.RoleArn())
		}
	}
	params := []any{&awscloudformation.CfnStackSet_ParameterProperty{
		ParameterKey: jsii.String(paramCentralBus), ParameterValue: g.orgBus.EventBusArn(),
	}}
	if len(roleARNs) > 0 {
		params = append(params, &awscloudformation.CfnStackSet_ParameterProperty{
			ParameterKey: jsii.String(paramCentralRoles), ParameterValue: awscdk.Fn_Join(jsii.String(","), &roleARNs),
		})
	}
	regions := append([]string{HomeRegion}, g.settings.ForwardRegions...)
	awscloudformation.NewCfnStackSet(g.stack, jsii.String("MemberStackSet"), &awscloudformation.CfnStackSetProps{
		StackSetName:    jsii.String(*g.stack.StackName() + "-member"),
		Description:     jsii.String("iamguard member accounts: forward the rules' events to " + orgBusName(*g.stack.StackName()) + " and hold the responder role"),
		PermissionModel: jsii.String("SERVICE_MANAGED"),
		CallAs:          jsii.String("DELEGATED_ADMIN"),
		AutoDeployment: &awscloudformation.CfnStackSet_AutoDeploymentProperty{
			Enabled: jsii.Bool(true), RetainStacksOnAccountRemoval: jsii.Bool(false),
		},
		Capabilities:     jsii.Strings("CAPABILITY_NAMED_IAM"),
		ManagedExecution: map[string]any{"Active": true},
		OperationPreferences: &awscloudformation.CfnStackSet_OperationPreferencesProperty{
			RegionConcurrencyType:      jsii.String("PARALLEL"),
			MaxConcurrentPercentage:    jsii.Number(100),
			FailureTolerancePercentage: jsii.Number(10),
		},
		StackInstancesGroup: &[]any{&awscloudformation.CfnStackSet_StackInstancesProperty{
			DeploymentTargets: &awscloudformation.CfnStackSet_DeploymentTargetsProperty{
				OrganizationalUnitIds: jsii.Strings(g.settings.MemberOUs...),
				// The security account may sit in a member OU: its own
				// stack guards it, and a member stack there would hand
				// every event to the functions twice.
				Accounts:          &[]*string{g.stack.Account()},
				AccountFilterType: jsii.String("DIFFERENCE"),
			},
			Regions: jsii.Strings(regions...),
		}},
		TemplateBody: templateBody,
		TemplateUrl:  templateURL,
		Parameters:   &params,
	})
}

// memberTemplateBody synthesizes the member template in an app of its own
// (so that `cdk deploy` never deploys it as a stack), with cdk-nag's checks,
// and returns it as compact JSON, refusing it when cdk-nag reports an
// error.
func memberTemplateBody(s Settings, stackName string) (string, error) {
	tmpl, errs, err := synthMember(s, stackName)
	if err != nil {
		return "", err
	}
	if len(errs) > 0 {
		return "", fmt.Errorf("member template: cdk-nag AwsSolutions errors: %v", errs)
	}
	// cdk-nag's suppressions live in each resource's Metadata, read at synth
	// time only: CloudFormation needs none of it, and TemplateBody is short.
	if res, ok := tmpl["Resources"].(map[string]any); ok {
		for _, r := range res {
			if m, ok := r.(map[string]any); ok {
				delete(m, "Metadata")
			}
		}
	}
	b, err := json.Marshal(tmpl)
	if err != nil {
		return "", fmt.Errorf("member template: %w", err)
	}
	return string(b), nil
}

// memberTemplateAsset stages the member template as a file asset of stack
// and returns its S3 URL.
func memberTemplateAsset(stack awscdk.Stack, body string) *string {
	dir, err := os.MkdirTemp("", "iamguard-member-template-")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "member.template.json"), []byte(body), 0o644)
	}
	if err != nil {
		panic(fmt.Errorf("member template asset: %w", err))
	}
	asset := awss3assets.NewAsset(stack, jsii.String("MemberTemplate"), &awss3assets.AssetProps{
		Path: jsii.String(filepath.Join(dir, "member.template.json")),
	})
	return asset.HttpUrl()
}

// synthMember synthesizes the member template and returns it with cdk-nag's
// unsuppressed errors.
func synthMember(s Settings, stackName string) (map[string]any, []string, error) {
	outdir, err := os.MkdirTemp("", "iamguard-member-")
	if err != nil {
		return nil, nil, fmt.Errorf("member template: %w", err)
	}
	defer os.RemoveAll(outdir)
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:    jsii.String(outdir),
		Context:   &map[string]any{"aws:cdk:enable-path-metadata": false},
		AutoSynth: jsii.Bool(false),
	})
	stack := NewMemberStack(app, memberStackID, &MemberStackProps{Settings: s, CentralStackName: stackName})
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	asm := app.Synth(nil)
	art := asm.GetStackArtifact(stack.ArtifactId())
	var errs []string
	for _, m := range *art.Messages() {
		if m.Level == "error" {
			errs = append(errs, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
		}
	}
	tmpl, ok := art.Template().(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("member template: unexpected template %T", art.Template())
	}
	return tmpl, slices.Clip(errs), nil
}
