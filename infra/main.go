// Command infra is iamguard's CDK app. `cdk synth` (cdk.json: "go run
// ./infra") reads the context, validates it, and synthesizes the main stack
// in us-east-1 plus one forwarding stack per Region in forwardRegions, with
// cdk-nag's AwsSolutions checks applied to every construct. Invalid context
// is reported, every problem at once, with exit status 1.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// modulePath identifies the repository root: the folder whose go.mod
// declares it.
const modulePath = "github.com/iamguard/iamguard"

// mainStackID is the main stack's construct ID and default stack name.
const mainStackID = "Iamguard"

func main() {
	app := awscdk.NewApp(nil)
	code := run(app, os.Stderr)
	jsii.Close()
	os.Exit(code)
}

// run builds the app's stacks and synthesizes them, returning the exit
// status: 1, with every problem written to stderr, when the context or the
// repository is not usable.
func run(app awscdk.App, stderr io.Writer) int {
	root, err := findRepoRoot()
	if err == nil {
		_, err = build(app, root)
	}
	if err != nil {
		fmt.Fprintln(stderr, "iamguard:", err)
		return 1
	}
	app.Synth(nil)
	return 0
}

// stacks is what build adds to an app.
type stacks struct {
	Main     awscdk.Stack
	Forward  []awscdk.Stack
	Settings Settings
	RepoRoot string
}

// build reads the app's context into Settings, adds the stacks and the
// cdk-nag checks. The stacks name their Region but not their account: the
// templates use AWS::AccountId and deploy to the account of the credentials
// in use, and synth gives the same templates with or without credentials
// (cdk-nag's suppressions name <AWS::AccountId> resources).
func build(app awscdk.App, repoRoot string) (*stacks, error) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		return nil, fmt.Errorf("repository root %q: %w", repoRoot, err)
	}
	repoRoot = root
	ctx, _ := app.Node().GetAllContext(nil).(map[string]any)
	settings, err := SettingsFromContext(ctx)
	if err != nil {
		return nil, err
	}
	props := &StackProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String(settings.Region)}},
		Settings:   settings,
		RepoRoot:   repoRoot,
	}
	if err := props.Validate(); err != nil {
		return nil, err
	}
	out := &stacks{Settings: settings, RepoRoot: repoRoot}
	out.Main = NewIamguardStack(app, mainStackID, props)
	for _, region := range settings.ForwardRegions {
		fwd := NewForwardingStack(app, mainStackID+"Forward-"+region, &ForwardingStackProps{
			StackProps: awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String(region)}},
			Settings:   settings,
		})
		fwd.AddStackDependency(out.Main, jsii.String("forwarded events are handled by the main stack's rules"))
		out.Forward = append(out.Forward, fwd)
	}
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	return out, nil
}

// findRepoRoot walks up from the working directory to the folder whose
// go.mod declares iamguard's module: `cdk synth` runs at the root, go test
// in infra/.
func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the repository root: %w", err)
	}
	for {
		if declaresModule(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find the repository root: no go.mod declaring " + modulePath + " above the working directory")
		}
		dir = parent
	}
}

func declaresModule(goMod string) bool {
	f, err := os.Open(goMod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return fields[1] == modulePath
		}
	}
	return false
}
