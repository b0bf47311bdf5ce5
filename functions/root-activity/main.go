// Command root-activity is the Lambda function for the root user's sign-ins
// and API calls (rules root-console-login and root-activity). It notifies
// only: no IAM role can restrict or change the root user, so it builds no
// client beyond SNS.
package main

import (
	"os"

	"github.com/iamguard/iamguard/shared/guard"
	"github.com/iamguard/iamguard/shared/rules"
)

func main() {
	os.Exit(guard.Main(rules.RootActivity, os.Getenv, nil))
}
