package trailaction

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/actiontest"
	"github.com/iamguard/iamguard/shared/action"
	"github.com/iamguard/iamguard/shared/action/regional"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/remediate"
	"github.com/iamguard/iamguard/shared/severity"
)

// fakeTrail answers the calls action.StartLogging declares, for the wire
// behaviour moto's CloudTrail lacks (TrailNotFoundException on a missing
// trail, a trail named by its ARN); it records which Region each call went to.
type fakeTrail struct {
	startLoggingAPI // nil: an undeclared call panics, naming the method
	region          string
	calls           *[]string
	exists, logging bool
	tags            map[string]string
	tagsErr         error
}

func (f *fakeTrail) record(op string) { *f.calls = append(*f.calls, f.region+" "+op) }

func (f *fakeTrail) GetTrail(_ context.Context, in *cloudtrail.GetTrailInput, _ ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailOutput, error) {
	f.record("GetTrail")
	if !f.exists {
		return nil, &types.TrailNotFoundException{Message: aws.String("Unknown trail: " + aws.ToString(in.Name))}
	}
	return &cloudtrail.GetTrailOutput{Trail: &types.Trail{TrailARN: aws.String("arn:aws:cloudtrail:" + f.region + ":111122223333:trail/main")}}, nil
}

func (f *fakeTrail) ListTags(_ context.Context, in *cloudtrail.ListTagsInput, _ ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error) {
	f.record("ListTags")
	if f.tagsErr != nil {
		return nil, f.tagsErr
	}
	var tl []types.Tag
	for k, v := range f.tags {
		tl = append(tl, types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return &cloudtrail.ListTagsOutput{ResourceTagList: []types.ResourceTag{{ResourceId: aws.String(in.ResourceIdList[0]), TagsList: tl}}}, nil
}

func (f *fakeTrail) GetTrailStatus(context.Context, *cloudtrail.GetTrailStatusInput, ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error) {
	f.record("GetTrailStatus")
	if !f.exists {
		return nil, &types.TrailNotFoundException{Message: aws.String("Unknown trail")}
	}
	return &cloudtrail.GetTrailStatusOutput{IsLogging: aws.Bool(f.logging)}, nil
}

func (f *fakeTrail) StartLogging(context.Context, *cloudtrail.StartLoggingInput, ...func(*cloudtrail.Options)) (*cloudtrail.StartLoggingOutput, error) {
	f.record("StartLogging")
	f.logging = true
	return &cloudtrail.StartLoggingOutput{}, nil
}

func stopFinding(name, region string) finding.Finding {
	a := action.StartLogging
	plan := a.Plan("start logging again on trail "+name, "Name", name, "Region", region)
	plan.Undo = a.UndoStep("Name", name, "Region", region)
	return finding.Finding{Rule: "trail-tampering", Severity: severity.Critical, ActorType: "IAMUser",
		Target: "arn:aws:cloudtrail:" + region + ":111122223333:trail/main", Remediation: plan}
}

func TestStartLogging(t *testing.T) {
	for _, tc := range []struct {
		name       string
		trail      fakeTrail
		plan       finding.Finding
		wantStatus finding.Status
		wantCalls  []string
		wantReason string
	}{
		{"stopped: started in its home Region, named by ARN", fakeTrail{exists: true},
			stopFinding("arn:aws:cloudtrail:us-east-2:111122223333:trail/main", "us-east-2"), finding.StatusDone,
			[]string{"us-east-2 GetTrail", "us-east-2 ListTags", "us-east-2 GetTrailStatus", "us-east-2 StartLogging"}, "rolled back"},
		{"already logging", fakeTrail{exists: true, logging: true}, stopFinding("main", "eu-west-1"), finding.StatusAlreadyUndone,
			[]string{"eu-west-1 GetTrail", "eu-west-1 ListTags", "eu-west-1 GetTrailStatus"}, "is logging"},
		{"deleted since: skipped with the commands to recreate it, never 'already undone'", fakeTrail{}, stopFinding("main", "eu-west-1"), finding.StatusSkipped,
			[]string{"eu-west-1 GetTrail", "eu-west-1 GetTrailStatus"}, "deleted after it was stopped, and nothing logs; recreate"},
		{"exempt", fakeTrail{exists: true, tags: map[string]string{"iamguard:exempt": "True"}}, stopFinding("main", "eu-west-1"), finding.StatusSkipped,
			[]string{"eu-west-1 GetTrail", "eu-west-1 ListTags"}, "target tag iamguard:exempt=true"},
		{"tags unreadable: never act when unsure", fakeTrail{exists: true, tagsErr: errors.New("AccessDenied")}, stopFinding("main", "eu-west-1"), finding.StatusSkipped,
			[]string{"eu-west-1 GetTrail", "eu-west-1 ListTags"}, "could not be checked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			ex := startLogging{api: func(region string) startLoggingAPI {
				tr := tc.trail
				tr.region, tr.calls = region, &calls
				return &tr
			}}
			o := actiontest.Remediate(t, remediate.Executors{action.StartLogging.ID: ex}, tc.plan)
			if o.Status != tc.wantStatus || !strings.Contains(o.Reason, tc.wantReason) {
				t.Errorf("Handle = %+v, want %s with %q", o, tc.wantStatus, tc.wantReason)
			}
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if o.Status == finding.StatusDone && !strings.Contains(o.Undo, "aws cloudtrail stop-logging") {
				t.Errorf("undo = %q", o.Undo)
			}
		})
	}
}

// TestExecutorsBuildsOneClientPerRegion: a plan's Region picks the client
// (regional keeps one per Region; its own test checks that).
func TestExecutorsBuildsOneClientPerRegion(t *testing.T) {
	c := regional.New(aws.Config{Region: "us-east-1"}, newClient)
	if got := c.Get("eu-west-1").Options().Region; got != "eu-west-1" {
		t.Errorf("client Region = %s", got)
	}
	if got := c.Get("").Options().Region; got != "us-east-1" {
		t.Errorf("default client Region = %s", got)
	}
}

// TestExecutorInterfaces: the CloudTrail executor holds its clients through
// the interface of exactly its action's declared calls.
func TestExecutorInterfaces(t *testing.T) {
	actiontest.CheckInterfaces(t, Executors(aws.Config{Region: "us-east-1"}))
}
