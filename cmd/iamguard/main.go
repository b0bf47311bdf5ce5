// Command iamguard runs iamguard's detection offline: it checks CloudTrail
// logs with the same rules table the Lambda functions use, so that a team can
// see what would have fired before it turns rollback on.
//
//	iamguard check [--format text|json] [--min-severity S] [--fail-on S] [--workers N] [--trusted-accounts IDS] [--trusted-org-id ORG] [--canary-minutes N] [--canary-policy-arn ARN --canary-role-arn ARN] [--stack-name NAME [--key-arn ARN]] PATH...
//	iamguard rules [--format text|json|markdown]
//	iamguard scp [--stack-name NAME] [--admin-arns ARN,ARN] [--deploy-role-pattern ARN,ARN] [--format text|json] [--out DIR]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// Exit statuses of every subcommand.
const (
	exitOK     = 0 // it ran, with or without findings
	exitFailOn = 1 // --fail-on matched a finding
	exitUsage  = 2 // a usage or input error
)

const usage = `usage:
  iamguard check [--format text|json] [--min-severity S] [--fail-on S] [--workers N]
                 [--trusted-accounts ID,ID] [--trusted-org-id o-...]
                 [--canary-minutes N] [--canary-policy-arn ARN --canary-role-arn ARN]
                 [--stack-name NAME [--key-arn ARN]] PATH...
      Evaluate CloudTrail records against the rules table. PATH is a file, a
      directory (read recursively) or - for standard input. Files may be
      CloudTrail log files, EventBridge events, JSON Lines or lookup-events
      output, gzip-compressed or not. Flags may also follow the paths; --
      ends them. --trusted-accounts and --trusted-org-id
      are whom a role's trust policy may let in (trust-policy), as the
      stack's trustedAccounts and trustedOrgId context keys say.
      The canary's heartbeats (iamguard:canary tags on its policy) are
      checked for gaps: a stretch longer than --canary-minutes (default 60,
      the stack's canaryMinutes; 0 turns it off) plus 15 minutes between two
      is a high "no canary between T1 and T2" finding. With the stack's
      canary policy and role (outputs CanaryPolicyArn, CanaryRoleArn), only
      their writes count, and any other canary-shaped write is a forgery.
      --stack-name names the iamguard stack (default Iamguard in cdk deploy):
      changes to its resources are guardrail-tampering findings; --key-arn
      names its alert key (the KMS key tagged iamguard:component=alert-key).
  iamguard rules [--format text|json|markdown]
      List the rules table: each rule's function, what it fires on, its
      severities, EventBridge patterns, rollbacks with their undo, and the
      calls they make. markdown renders the README's rules and functions tables.
  iamguard scp [--stack-name NAME] [--admin-arns ARN,ARN] [--deploy-role-pattern ARN,ARN]
               [--format text|json] [--out DIR]
      Render the AWS Organizations service control policies that make
      iamguard's detections rarer: deny stopping, deleting or narrowing
      trails; deny changes to the stack's resources and roles but by the
      deployment roles (--deploy-role-pattern, default the CDK bootstrap's
      cdk-*-deploy-role-* and cdk-*-cfn-exec-role-*); deny setting or
      removing iamguard: tags but by --admin-arns (role or user ARN
      patterns), the deployment and the canary's role; deny leaving the
      organisation. --stack-name defaults to Iamguard. Each policy stays
      under the 5,120-character SCP quota, measured minified. --out writes
      one minified NAME.json per policy, ready for aws organizations
      create-policy --content file://DIR/NAME.json.

Severities: info, low, medium, high, critical.
Exit status: 0 ran (with or without findings), 1 --fail-on matched, 2 usage or input error
(2 wins over 1: the findings cover only what could be read).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return runCheck(ctx, args[1:], stdin, stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "scp":
		return runSCP(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "iamguard: unknown command %q\n%s", args[0], usage)
		return exitUsage
	}
}
