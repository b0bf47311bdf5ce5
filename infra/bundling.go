package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// bundlingImage is required by awscdk.BundlingOptions but never run:
// goBundler always builds locally, or fails synth with go build's output.
const bundlingImage = "public.ecr.aws/docker/library/golang:1.26"

// goBundler builds one function's bootstrap on this machine, without Docker,
// with the Makefile's flags: arm64 Linux, no cgo, no RPC shim, stripped.
type goBundler struct {
	repoRoot string
	pkg      string // a package path relative to repoRoot, such as ./functions/access-keys
}

// TryBundle implements awscdk.ILocalBundling. It never returns false: a
// Docker fallback would fail more obscurely on machines without Docker, so a
// failed build panics, and CDK reports the message as the synth error.
func (b *goBundler) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	out := filepath.Join(*outputDir, "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", out, b.pkg)
	cmd.Dir = b.repoRoot
	// Later entries win: the target platform overrides the caller's.
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		panic(fmt.Sprintf("iamguard: build %s for Lambda (linux/arm64) in %s: %v\n%s", b.pkg, b.repoRoot, err, output.String()))
	}
	return jsii.Bool(true)
}

// functionCode returns the code asset of the function in functions/<dir>:
// its bootstrap, built by goBundler when the stack is synthesized (unless
// the context key aws:cdk:bundling-stacks excludes the stack). The asset is
// hashed by its output, since the build reads far more than the folder.
func functionCode(repoRoot, dir string) awslambda.Code {
	return awslambda.Code_FromAsset(jsii.String(filepath.Join(repoRoot, "functions", dir)), &awss3assets.AssetOptions{
		AssetHashType: awscdk.AssetHashType_OUTPUT,
		Bundling: &awscdk.BundlingOptions{
			Image: awscdk.DockerImage_FromRegistry(jsii.String(bundlingImage)),
			Local: &goBundler{repoRoot: repoRoot, pkg: "./functions/" + dir},
		},
	})
}
