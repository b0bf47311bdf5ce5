// Command access-keys is the Lambda function for new access keys (rule
// access-key-created). It notifies and, where the rule is in remediate mode,
// deactivates exactly the new key (never deletes it).
package main

import (
	"os"

	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	os.Exit(guard.Main(rules.FamilyAccessKeys, os.Getenv))
}
