package policy

import (
	"strings"
	"sync"
)

// EscalationPath is a known way to gain more privilege than a policy grants:
// a principal allowed every one of Actions (on every resource, or on a
// pattern as broad for the action, such as every IAM user for
// iam:AttachUserPolicy) can escalate.
type EscalationPath struct {
	Name    string
	Actions []string
	Source  string // where the path comes from
	// PassTo lists the services (iam:PassedToService values) to which a path
	// with iam:PassRole hands the role; a PassRole that a condition limits to
	// other services cannot complete the path. Generous on purpose: where AWS
	// documents more than one principal for a service, all are listed, since
	// a longer list only keeps a path that a shorter one might wrongly block.
	PassTo []string
}

// The services that escalation paths pass roles to.
var (
	passEC2            = []string{"ec2.amazonaws.com"}
	passLambda         = []string{"lambda.amazonaws.com"}
	passGlue           = []string{"glue.amazonaws.com"}
	passCloudFormation = []string{"cloudformation.amazonaws.com"}
	passDataPipeline   = []string{"datapipeline.amazonaws.com", "ec2.amazonaws.com", "elasticmapreduce.amazonaws.com"}
	passCodeStar       = []string{"codestar.amazonaws.com", "cloudformation.amazonaws.com"}
	passCodeBuild      = []string{"codebuild.amazonaws.com"}
	passAutoScaling    = []string{"ec2.amazonaws.com", "autoscaling.amazonaws.com"}
	passECS            = []string{"ecs-tasks.amazonaws.com", "ecs.amazonaws.com"}
	passECSInstance    = []string{"ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "ecs.amazonaws.com"}
	passSageMaker      = []string{"sagemaker.amazonaws.com"}
	passAppRunner      = []string{"apprunner.amazonaws.com", "tasks.apprunner.amazonaws.com", "build.apprunner.amazonaws.com"}
	passAgentCore      = []string{"bedrock-agentcore.amazonaws.com"}
	passScheduler      = []string{"scheduler.amazonaws.com"}
	passStates         = []string{"states.amazonaws.com"}
	// A Batch job definition's job and execution roles go to ECS tasks; the
	// compute environment's service role to Batch itself.
	passBatch         = []string{"batch.amazonaws.com", "ecs-tasks.amazonaws.com"}
	passEMR           = []string{"elasticmapreduce.amazonaws.com", "ec2.amazonaws.com"} // service role, instance profile
	passEMRServerless = []string{"emr-serverless.amazonaws.com"}
	passCognito       = []string{"cognito-identity.amazonaws.com", "cognito-identity-us-gov.amazonaws.com"}
	passSSM           = []string{"ssm.amazonaws.com"}
	passBraket        = []string{"braket.amazonaws.com"}
	passKinesis       = []string{"kinesisanalytics.amazonaws.com"}
	passImageBuilder  = []string{"imagebuilder.amazonaws.com", "ec2.amazonaws.com"} // execution role, instance profile
	passGameLift      = []string{"gamelift.amazonaws.com"}
	passOmics         = []string{"omics.amazonaws.com"}
)

const (
	srcRhino = "Rhino Security Labs (2018), names as in cloudsplaining"
	srcLater = "later research (Bishop Fox, pathfinding.cloud, reversec) as combined by Prowler and cloudsplaining"
	// srcProwler is the list that the detection-coverage review (2026-12,
	// §1.7) compared the table with; Prowler credits most of these to
	// pathfinding.cloud entries newer than its stored snapshot (84dd65c97fc2).
	srcProwler = "prowler-cloud/prowler prowler/providers/aws/services/iam/lib/privilege_escalation.py at 3e000faa3109230b748e4418a13c11c9e59f5cfb (2026-08-21)"
)

// escalationPaths encodes AWS-FACTS §4 and every combination in Prowler's
// list (srcProwler). Paths that are plain supersets of another path, the same
// attack with an extra step (cloudsplaining's ECS variants that add
// ecs:CreateCluster, its AgentCore variant that adds
// StartCodeInterpreterSession, Prowler's DataPipeline variant that adds
// PutPipelineDefinition and ActivatePipeline, and its AgentCore Harness
// variant, PassRole + CreateHarness + GetAgentRuntime + the four actions of
// PassExistingRoleToNewAgentCoreRuntimeThenInvokeCommand), are left out:
// whenever they complete, the smaller path completes too. A path that passes
// a role to a new resource is kept beside the path that uses an existing one
// though it holds all of its actions (PassExistingRoleToNewECSTaskThenRun and
// PassExistingRoleToExistingECSTask, the new and existing Batch job, state
// machine, AgentCore runtime and browser, IAM Identity Center permission
// set): they are different attacks, and they part ways once a resource
// the caller names itself counts as broad for the new-resource path (issue
// 10, "Paths and names"). The "+ sts:AssumeRole" pairs are kept as their own
// entries because the later research lists them as such; the Rhino
// single-action entries follow cloudsplaining and Prowler, which flag those
// actions alone. pathfinding.cloud's data/paths (84dd65c97fc2, 65 paths)
// holds one path found neither here nor in Prowler's list, sts-001
// (sts:AssumeRole alone, on roles that trust the account): left out, as
// Prowler leaves it out, since whether it escalates depends on trust
// policies the document does not show.
var escalationPaths = []EscalationPath{
	// Original Rhino Security Labs set.
	{"CreateNewPolicyVersion", []string{"iam:CreatePolicyVersion"}, srcRhino, nil},
	{"SetExistingDefaultPolicyVersion", []string{"iam:SetDefaultPolicyVersion"}, srcRhino, nil},
	{"CreateEC2WithExistingIP", []string{"iam:PassRole", "ec2:RunInstances"}, srcRhino, passEC2},
	{"CreateAccessKey", []string{"iam:CreateAccessKey"}, srcRhino, nil},
	{"CreateLoginProfile", []string{"iam:CreateLoginProfile"}, srcRhino, nil},
	{"UpdateLoginProfile", []string{"iam:UpdateLoginProfile"}, srcRhino, nil},
	{"AttachUserPolicy", []string{"iam:AttachUserPolicy"}, srcRhino, nil},
	{"AttachGroupPolicy", []string{"iam:AttachGroupPolicy"}, srcRhino, nil},
	{"AttachRolePolicy", []string{"iam:AttachRolePolicy"}, srcRhino, nil},
	{"PutUserPolicy", []string{"iam:PutUserPolicy"}, srcRhino, nil},
	{"PutGroupPolicy", []string{"iam:PutGroupPolicy"}, srcRhino, nil},
	{"PutRolePolicy", []string{"iam:PutRolePolicy"}, srcRhino, nil},
	{"AddUserToGroup", []string{"iam:AddUserToGroup"}, srcRhino, nil},
	{"UpdateRolePolicyToAssumeIt", []string{"iam:UpdateAssumeRolePolicy"}, srcRhino, nil},
	{"PassExistingRoleToNewLambdaThenInvoke", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}, srcRhino, passLambda},
	{"PassExistingRoleToNewLambdaThenTriggerWithNewDynamo", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable", "dynamodb:PutItem"}, srcRhino, passLambda},
	{"PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"}, srcRhino, passLambda},
	{"PassExistingRoleToNewGlueDevEndpoint", []string{"iam:PassRole", "glue:CreateDevEndpoint"}, srcRhino, passGlue},
	{"UpdateExistingGlueDevEndpoint", []string{"glue:UpdateDevEndpoint"}, srcRhino, nil},
	{"PassExistingRoleToCloudFormation", []string{"iam:PassRole", "cloudformation:CreateStack"}, srcRhino, passCloudFormation},
	{"PassExistingRoleToNewDataPipeline", []string{"iam:PassRole", "datapipeline:CreatePipeline"}, srcRhino, passDataPipeline},
	{"EditExistingLambdaFunctionWithRole", []string{"lambda:UpdateFunctionCode"}, srcRhino, nil},

	// Later additions: broad IAM.
	{"IAMWildcard", []string{"iam:*"}, srcLater, nil},
	{"IAMPutWildcard", []string{"iam:Put*"}, srcLater, nil},
	// Chained IAM.
	{"DeleteThenCreateAccessKey", []string{"iam:CreateAccessKey", "iam:DeleteAccessKey"}, srcLater, nil},
	{"AttachUserPolicyThenCreateAccessKey", []string{"iam:AttachUserPolicy", "iam:CreateAccessKey"}, srcLater, nil},
	{"PutUserPolicyThenCreateAccessKey", []string{"iam:PutUserPolicy", "iam:CreateAccessKey"}, srcLater, nil},
	{"AttachRolePolicyThenUpdateAssumeRolePolicy", []string{"iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"}, srcLater, nil},
	{"CreatePolicyVersionThenUpdateAssumeRolePolicy", []string{"iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy"}, srcLater, nil},
	{"PutRolePolicyThenUpdateAssumeRolePolicy", []string{"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"}, srcLater, nil},
	{"CreatePolicyVersionThenAssumeRole", []string{"iam:CreatePolicyVersion", "sts:AssumeRole"}, srcLater, nil},
	{"AttachRolePolicyThenAssumeRole", []string{"iam:AttachRolePolicy", "sts:AssumeRole"}, srcLater, nil},
	{"PutRolePolicyThenAssumeRole", []string{"iam:PutRolePolicy", "sts:AssumeRole"}, srcLater, nil},
	{"UpdateAssumeRolePolicyThenAssumeRole", []string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, srcLater, nil},
	// EC2.
	{"PassExistingRoleToNewSpotInstance", []string{"iam:PassRole", "ec2:RequestSpotInstances"}, srcLater, passEC2},
	{"ModifyInstanceUserData", []string{"ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"}, srcLater, nil},
	{"ModifyLaunchTemplate", []string{"ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"}, srcLater, nil},
	{"SendSSHPublicKey", []string{"ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"}, srcLater, nil},
	// Lambda.
	{"PassExistingRoleToNewLambdaThenAddPermission", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"}, srcLater, passLambda},
	{"UpdateLambdaFunctionConfiguration", []string{"lambda:UpdateFunctionConfiguration"}, srcLater, nil},
	{"EditExistingLambdaFunctionThenInvoke", []string{"lambda:UpdateFunctionCode", "lambda:InvokeFunction"}, srcLater, nil},
	{"EditExistingLambdaFunctionThenAddPermission", []string{"lambda:UpdateFunctionCode", "lambda:AddPermission"}, srcLater, nil},
	// Glue.
	{"PassExistingRoleToNewGlueJobThenRun", []string{"iam:PassRole", "glue:CreateJob", "glue:StartJobRun"}, srcLater, passGlue},
	{"PassExistingRoleToNewGlueJobThenTrigger", []string{"iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"}, srcLater, passGlue},
	{"PassExistingRoleToExistingGlueJobThenRun", []string{"iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"}, srcLater, passGlue},
	{"PassExistingRoleToExistingGlueJobThenTrigger", []string{"iam:PassRole", "glue:UpdateJob", "glue:CreateTrigger"}, srcLater, passGlue},
	// CloudFormation.
	{"UpdateExistingCloudFormationStack", []string{"cloudformation:UpdateStack"}, srcLater, nil},
	{"ExecuteCloudFormationChangeSet", []string{"cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"}, srcLater, nil},
	{"PassExistingRoleToNewStackSet", []string{"iam:PassRole", "cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"}, srcLater, passCloudFormation},
	{"PassExistingRoleToExistingStackSet", []string{"iam:PassRole", "cloudformation:UpdateStackSet"}, srcLater, passCloudFormation},
	// CodeStar.
	{"PassExistingRoleToNewCodeStarProject", []string{"iam:PassRole", "codestar:CreateProject"}, srcLater, passCodeStar},
	// CodeBuild.
	{"PassExistingRoleToNewCodeBuildProjectThenBuild", []string{"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"}, srcLater, passCodeBuild},
	{"PassExistingRoleToNewCodeBuildProjectThenBuildBatch", []string{"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuildBatch"}, srcLater, passCodeBuild},
	{"StartExistingCodeBuildProject", []string{"codebuild:StartBuild"}, srcLater, nil},
	{"StartExistingCodeBuildProjectBatch", []string{"codebuild:StartBuildBatch"}, srcLater, nil},
	// Auto Scaling.
	{"PassExistingRoleToNewAutoScalingGroup", []string{"iam:PassRole", "autoscaling:CreateAutoScalingGroup", "autoscaling:CreateLaunchConfiguration"}, srcLater, passAutoScaling},
	{"PassExistingRoleToExistingAutoScalingGroup", []string{"iam:PassRole", "autoscaling:UpdateAutoScalingGroup", "autoscaling:CreateLaunchConfiguration"}, srcLater, passAutoScaling},
	// ECS.
	{"PassExistingRoleToNewECSService", []string{"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:CreateService"}, srcLater, passECS},
	{"PassExistingRoleToNewECSTaskThenRun", []string{"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"}, srcLater, passECS},
	{"PassExistingRoleToNewECSTaskThenStart", []string{"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:StartTask"}, srcLater, passECS},
	{"PassExistingRoleToECSContainerInstance", []string{"iam:PassRole", "ecs:StartTask", "ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance"}, srcLater, passECSInstance},
	{"PassExistingRoleToExistingECSTask", []string{"iam:PassRole", "ecs:RunTask"}, srcLater, passECS},
	{"ExecuteCommandInECSTask", []string{"ecs:ExecuteCommand", "ecs:DescribeTasks"}, srcLater, nil},
	// SageMaker.
	{"PassExistingRoleToNewSageMakerNotebook", []string{"iam:PassRole", "sagemaker:CreateNotebookInstance"}, srcLater, passSageMaker},
	{"PassExistingRoleToNewSageMakerTrainingJob", []string{"iam:PassRole", "sagemaker:CreateTrainingJob"}, srcLater, passSageMaker},
	{"PassExistingRoleToNewSageMakerProcessingJob", []string{"iam:PassRole", "sagemaker:CreateProcessingJob"}, srcLater, passSageMaker},
	{"OpenExistingSageMakerNotebook", []string{"sagemaker:CreatePresignedNotebookInstanceUrl"}, srcLater, nil},
	{"ModifySageMakerNotebookLifecycleConfig", []string{"sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"}, srcLater, nil},
	// Systems Manager.
	{"StartSSMSession", []string{"ssm:StartSession"}, srcLater, nil},
	{"SendSSMCommand", []string{"ssm:SendCommand"}, srcLater, nil},
	// App Runner.
	{"PassExistingRoleToNewAppRunnerService", []string{"iam:PassRole", "apprunner:CreateService"}, srcLater, passAppRunner},
	{"UpdateExistingAppRunnerService", []string{"apprunner:UpdateService"}, srcLater, nil},
	// Bedrock AgentCore.
	{"PassExistingRoleToNewAgentCoreCodeInterpreter", []string{"iam:PassRole", "bedrock-agentcore:CreateCodeInterpreter", "bedrock-agentcore:InvokeCodeInterpreter"}, srcLater, passAgentCore},
	{"InvokeExistingAgentCoreCodeInterpreter", []string{"bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"}, srcLater, nil},

	// Prowler's later combinations. IAM Identity Center: a permission set
	// with AdministratorAccess, assigned to the caller, is administrator in
	// every account it is assigned to (the existing-set paths assume the
	// caller is assigned to it already).
	{"CreateSSOPermissionSetWithManagedPolicyThenAssign", []string{"sso:CreatePermissionSet", "sso:CreateAccountAssignment", "sso:AttachManagedPolicyToPermissionSet"}, srcProwler, nil},
	{"AttachManagedPolicyToSSOPermissionSet", []string{"sso:AttachManagedPolicyToPermissionSet"}, srcProwler, nil},
	{"PutInlinePolicyToSSOPermissionSet", []string{"sso:PutInlinePolicyToPermissionSet"}, srcProwler, nil},
	// Permissions boundaries: removing the boundary frees the user's or
	// role's own policies.
	{"DeleteUserPermissionsBoundary", []string{"iam:DeleteUserPermissionsBoundary"}, srcProwler, nil},
	{"DeleteRolePermissionsBoundaryThenAssumeRole", []string{"iam:DeleteRolePermissionsBoundary", "sts:AssumeRole"}, srcProwler, nil},
	// EventBridge Scheduler: a universal target calls any API as the role.
	{"PassExistingRoleToNewSchedule", []string{"iam:PassRole", "scheduler:CreateSchedule"}, srcProwler, passScheduler},
	// Step Functions: a state machine calls any API as its role.
	{"PassExistingRoleToNewStateMachineThenStart", []string{"iam:PassRole", "states:CreateStateMachine", "states:StartExecution"}, srcProwler, passStates},
	{"UpdateExistingStateMachineThenStart", []string{"states:UpdateStateMachine", "states:StartExecution"}, srcProwler, nil},
	// Batch: a job runs a container with the job definition's role; SubmitJob
	// can override the command of an existing definition.
	{"PassExistingRoleToNewBatchJobDefinitionThenSubmit", []string{"iam:PassRole", "batch:RegisterJobDefinition", "batch:SubmitJob"}, srcProwler, passBatch},
	{"SubmitExistingBatchJobDefinition", []string{"batch:SubmitJob"}, srcProwler, nil},
	// Compute and job services that run the caller's code with a passed role.
	{"PassExistingRoleToNewEMRCluster", []string{"iam:PassRole", "elasticmapreduce:RunJobFlow"}, srcProwler, passEMR},
	{"PassExistingRoleToNewEMRServerlessApplicationThenRun", []string{"iam:PassRole", "emr-serverless:CreateApplication", "emr-serverless:StartJobRun"}, srcProwler, passEMRServerless},
	{"PassExistingRoleToNewGlueSessionThenRun", []string{"iam:PassRole", "glue:CreateSession", "glue:RunStatement"}, srcProwler, passGlue},
	{"PassExistingRoleToExistingECSTaskThenStart", []string{"iam:PassRole", "ecs:StartTask"}, srcProwler, passECS},
	{"PassExistingRoleToCognitoIdentityPool", []string{"iam:PassRole", "cognito-identity:SetIdentityPoolRoles"}, srcProwler, passCognito},
	{"PassExistingRoleToNewSSMAutomationDocument", []string{"iam:PassRole", "ssm:CreateDocument", "ssm:StartAutomationExecution"}, srcProwler, passSSM},
	{"PassExistingRoleToNewBraketJob", []string{"iam:PassRole", "braket:CreateJob"}, srcProwler, passBraket},
	{"PassExistingRoleToNewKinesisAnalyticsApplicationThenStart", []string{"iam:PassRole", "kinesisanalytics:CreateApplication", "kinesisanalytics:StartApplication"}, srcProwler, passKinesis},
	{"PassExistingRoleToNewImageBuilderImage", []string{"iam:PassRole", "imagebuilder:CreateComponent", "imagebuilder:CreateImageRecipe", "imagebuilder:CreateInfrastructureConfiguration", "imagebuilder:CreateImage"}, srcProwler, passImageBuilder},
	{"PassExistingRoleToNewGameLiftFleet", []string{"iam:PassRole", "gamelift:CreateBuild", "gamelift:CreateFleet", "gamelift:RequestUploadCredentials"}, srcProwler, passGameLift},
	{"PassExistingRoleToNewOmicsWorkflowThenRun", []string{"iam:PassRole", "omics:CreateWorkflow", "omics:StartRun", "s3:GetObject"}, srcProwler, passOmics},
	// CodeDeploy: a new revision for an existing deployment group runs as
	// root on its instances, with their instance profile.
	{"DeployToExistingCodeDeployGroup", []string{"codedeploy:CreateDeployment", "codedeploy:RegisterApplicationRevision", "codedeploy:GetDeploymentConfig"}, srcProwler, nil},
	// Bedrock AgentCore runtimes and browsers: a shell in the runtime's
	// microVM, or a remote driver of the browser, reads the execution role's
	// credentials.
	{"InvokeExistingAgentCoreRuntimeCommand", []string{"bedrock-agentcore:InvokeAgentRuntimeCommand"}, srcProwler, nil},
	{"PassExistingRoleToNewAgentCoreRuntimeThenInvokeCommand", []string{"iam:PassRole", "bedrock-agentcore:CreateAgentRuntime", "bedrock-agentcore:CreateAgentRuntimeEndpoint", "bedrock-agentcore:CreateWorkloadIdentity", "bedrock-agentcore:InvokeAgentRuntimeCommand"}, srcProwler, passAgentCore},
	{"ConnectToExistingAgentCoreBrowser", []string{"bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream"}, srcProwler, nil},
	{"PassExistingRoleToNewAgentCoreBrowserThenConnect", []string{"iam:PassRole", "bedrock-agentcore:CreateBrowser", "bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream"}, srcProwler, passAgentCore},
}

// EscalationPaths returns a copy of the table of privilege-escalation paths
// that Analyze looks for, in the order it reports them.
func EscalationPaths() []EscalationPath {
	out := make([]EscalationPath, len(escalationPaths))
	for i, p := range escalationPaths {
		p.Actions = append([]string(nil), p.Actions...)
		p.PassTo = append([]string(nil), p.PassTo...)
		out[i] = p
	}
	return out
}

// maxEscActions is the capacity of a bitset; a test checks that the table's
// distinct actions, and its paths, fit.
const maxEscActions = 128

// bitset is a set of escalation actions or paths, by their number.
type bitset [maxEscActions / 64]uint64

func (s *bitset) add(id int)      { s[id/64] |= 1 << (id % 64) }
func (s *bitset) remove(id int)   { s[id/64] &^= 1 << (id % 64) }
func (s *bitset) has(id int) bool { return s[id/64]&(1<<(id%64)) != 0 }
func (s *bitset) isEmpty() bool   { return *s == bitset{} }
func (s *bitset) union(t *bitset) {
	for i := range s {
		s[i] |= t[i]
	}
}

// contains reports whether t is a subset of s.
func (s *bitset) contains(t *bitset) bool {
	for i := range s {
		if t[i]&^s[i] != 0 {
			return false
		}
	}
	return true
}

// escIndex is the escalation table compiled for fast lookup.
type escIndex struct {
	actions   []escAction
	byName    map[string]int   // lower-case literal action -> number
	byService map[string][]int // lower-case service prefix -> numbers
	all       []int
	need      []bitset // per path
	passRole  int      // the number of iam:PassRole, or -1
	// namedPaths are the paths of callerNamedPaths, by number.
	namedPaths bitset
}

type escAction struct {
	name string // as in the table
	wild bool   // holds '*' or '?', like "iam:Put*"
	// The resources the action acts on: the ARN service, and for IAM actions
	// the types (iamUser...) any one of which, covered whole, makes the
	// action as good as allowed on every resource; 0 needs the whole service.
	resService string
	resTypes   uint8
	// named: the action creates a resource, or acts on one, that a path
	// has the caller create and name (callerNamedPaths).
	named bool
	// sendCommand: ssm:SendCommand, which names instances and a document.
	sendCommand bool
}

// callerNamedPaths are the paths whose non-IAM actions create a resource the
// caller names and then use it (a new function, job, stack, project, notebook
// instance): for them, a resource pattern with a wildcard inside the name
// ("function:*sagemaker*") is as good as "*". Instances and other EC2
// resources get IDs, not names, and are left out.
var callerNamedPaths = map[string]bool{
	"PassExistingRoleToNewLambdaThenInvoke":                     true,
	"PassExistingRoleToNewLambdaThenTriggerWithNewDynamo":       true,
	"PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo":  true,
	"PassExistingRoleToNewLambdaThenAddPermission":              true,
	"PassExistingRoleToNewGlueDevEndpoint":                      true,
	"PassExistingRoleToNewGlueJobThenRun":                       true,
	"PassExistingRoleToNewGlueJobThenTrigger":                   true,
	"PassExistingRoleToCloudFormation":                          true,
	"PassExistingRoleToNewStackSet":                             true,
	"PassExistingRoleToNewDataPipeline":                         true,
	"PassExistingRoleToNewCodeStarProject":                      true,
	"PassExistingRoleToNewCodeBuildProjectThenBuild":            true,
	"PassExistingRoleToNewCodeBuildProjectThenBuildBatch":       true,
	"PassExistingRoleToNewSageMakerNotebook":                    true,
	"PassExistingRoleToNewSageMakerTrainingJob":                 true,
	"PassExistingRoleToNewSageMakerProcessingJob":               true,
	"PassExistingRoleToNewAppRunnerService":                     true,
	"PassExistingRoleToNewAgentCoreCodeInterpreter":             true,
	"PassExistingRoleToNewSchedule":                             true,
	"PassExistingRoleToNewStateMachineThenStart":                true,
	"PassExistingRoleToNewBatchJobDefinitionThenSubmit":         true,
	"PassExistingRoleToNewGlueSessionThenRun":                   true,
	"PassExistingRoleToNewSSMAutomationDocument":                true,
	"PassExistingRoleToNewBraketJob":                            true,
	"PassExistingRoleToNewKinesisAnalyticsApplicationThenStart": true,
	"PassExistingRoleToNewImageBuilderImage":                    true,
}

// iamActionTypes maps the IAM (and STS) actions of the table, lower case, to
// the IAM resource types they act on. AddUserToGroup names the group, but a
// principal free to add any user, or to add to any group, escalates either way.
var iamActionTypes = map[string]uint8{
	"iam:attachuserpolicy":        iamUser,
	"iam:putuserpolicy":           iamUser,
	"iam:createaccesskey":         iamUser,
	"iam:deleteaccesskey":         iamUser,
	"iam:createloginprofile":      iamUser,
	"iam:updateloginprofile":      iamUser,
	"iam:addusertogroup":          iamUser | iamGroup,
	"iam:attachrolepolicy":        iamRole,
	"iam:putrolepolicy":           iamRole,
	"iam:updateassumerolepolicy":  iamRole,
	"iam:passrole":                iamRole,
	"sts:assumerole":              iamRole,
	"iam:attachgrouppolicy":       iamGroup,
	"iam:putgrouppolicy":          iamGroup,
	"iam:createpolicyversion":     iamPolicy,
	"iam:setdefaultpolicyversion": iamPolicy,

	"iam:deleteuserpermissionsboundary": iamUser,
	"iam:deleterolepermissionsboundary": iamRole,
}

// resServiceOf maps an action's service prefix to the service of the ARNs it
// acts on, where the two differ.
var resServiceOf = map[string]string{
	"sts":                  "iam", // sts:AssumeRole names a role
	"ec2-instance-connect": "ec2", // SendSSHPublicKey names an instance
}

func escTarget(key string) (string, uint8) {
	svc, _, _ := strings.Cut(key, ":")
	if t, ok := iamActionTypes[key]; ok {
		return "iam", t
	}
	if r, ok := resServiceOf[svc]; ok {
		return r, 0
	}
	return svc, 0
}

var (
	escOnce sync.Once
	esc     *escIndex
)

// escalation returns the compiled table, building it on first use.
func escalation() *escIndex {
	escOnce.Do(func() { esc = buildEscIndex(escalationPaths) })
	return esc
}

func buildEscIndex(paths []EscalationPath) *escIndex {
	x := &escIndex{
		byName:    make(map[string]int),
		byService: make(map[string][]int),
		need:      make([]bitset, len(paths)),
		passRole:  -1,
	}
	ids := make(map[string]int)
	for pi, p := range paths {
		if callerNamedPaths[p.Name] && pi < maxEscActions {
			x.namedPaths.add(pi)
		}
		for _, a := range p.Actions {
			key := strings.ToLower(a)
			id, ok := ids[key]
			if !ok {
				id = len(x.actions)
				if id >= maxEscActions {
					continue // caught by TestEscalationTableFits; never panic at init
				}
				ids[key] = id
				rs, rt := escTarget(key)
				x.actions = append(x.actions, escAction{name: a, wild: hasWildcard(a), resService: rs, resTypes: rt,
					sendCommand: key == "ssm:sendcommand"})
				x.all = append(x.all, id)
				if !hasWildcard(a) {
					x.byName[key] = id
				}
				if key == "iam:passrole" {
					x.passRole = id
				}
				svc, _, _ := strings.Cut(key, ":")
				x.byService[svc] = append(x.byService[svc], id)
			}
			x.need[pi].add(id)
			if callerNamedPaths[p.Name] && !strings.HasPrefix(key, "iam:") && !strings.HasPrefix(key, "dynamodb:") {
				x.actions[id].named = true
			}
		}
	}
	return x
}

// lookupLiteral finds a wildcard-free action in the table, ignoring case.
func (x *escIndex) lookupLiteral(action string) (int, bool) {
	var buf [96]byte
	if len(action) > len(buf) {
		return 0, false // longer than any action in the table
	}
	for j := 0; j < len(action); j++ {
		buf[j] = lower(action[j])
	}
	id, ok := x.byName[string(buf[:len(action)])]
	return id, ok
}

// candidates returns the table actions that action pattern p might cover.
// Only a pattern whose service prefix holds a wildcard needs the whole table.
func (x *escIndex) candidates(p string) []int {
	i := strings.IndexByte(p, ':')
	if i < 0 || hasWildcard(p[:i]) {
		return x.all
	}
	var buf [64]byte
	if i > len(buf) {
		return nil // longer than any service prefix in the table
	}
	for j := 0; j < i; j++ {
		buf[j] = lower(p[j])
	}
	return x.byService[string(buf[:i])]
}
