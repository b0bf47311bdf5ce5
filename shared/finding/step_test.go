package finding

import "testing"

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bob", "bob"},
		{"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
		{"$(rm -rf /)", "'$(rm -rf /)'"},
		{"naïve", "'naïve'"},
	} {
		if got := ShellQuote(tc.in); got != tc.want {
			t.Errorf("ShellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestNewStep(t *testing.T) {
	s := NewStep("iam:UpdateAccessKey", "UserName", "bob smith", "AccessKeyId", "AKIA1", "Status", "Inactive")
	if want := "aws iam update-access-key --user-name 'bob smith' --access-key-id AKIA1 --status Inactive"; s.Command != want {
		t.Errorf("Command = %q, want %q", s.Command, want)
	}
	if s.Action != "iam:UpdateAccessKey" || s.Parameters["UserName"] != "bob smith" || len(s.Parameters) != 3 {
		t.Errorf("NewStep = %+v", s)
	}
	if got := NewStep("cloudtrail:StartLogging", "Name", "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main").Command; got != "aws cloudtrail start-logging --name arn:aws:cloudtrail:eu-west-1:111122223333:trail/main" {
		t.Errorf("StartLogging command = %q", got)
	}
	if got := NewStep("guardduty:UpdateDetector", "DetectorId", "12ab", "Enable", "false", "Region", "us-east-1").Command; got != "aws guardduty update-detector --detector-id 12ab --no-enable --region us-east-1" {
		t.Errorf("boolean flag: command = %q", got)
	}
	// IAM's service prefix is config; the CLI's command is configservice.
	if got := NewStep("config:StartConfigurationRecorder", "ConfigurationRecorderName", "default", "Region", "eu-west-1").Command; got != "aws configservice start-configuration-recorder --configuration-recorder-name default --region eu-west-1" {
		t.Errorf("StartConfigurationRecorder command = %q", got)
	}
}
