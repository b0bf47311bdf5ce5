// Command policy-guard is the Lambda function for policy changes (rule
// wildcard-policy). It resolves customer-managed documents from IAM, notifies
// and, in remediate mode, detaches, deletes or restores the previous version.
package main

import (
	"os"

	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	os.Exit(guard.Main(rules.FamilyPolicyGuard, os.Getenv))
}
