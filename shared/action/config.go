package action

// ConfigRecorders are the account's AWS Config configuration recorders, in
// every Region the stack watches (one customer managed recorder per Region).
var ConfigRecorders = &Resource{
	Name: "AWS Config recorders", ARN: "arn:{partition}:config:{region}:{account}:configuration-recorder/*",
	Why: "iamguard starts again the configuration recorder an attacker stopped, known only when the StopConfigurationRecorder event " +
		"arrives. The ARN covers only this account's recorders in the Regions the stack watches (the Service Authorization Reference's " +
		"ConfigurationRecorder type, configuration-recorder/NAME/ID), and the actions are exactly the calls the code makes (read the " +
		"recorder's status, start it).",
}

// StartConfigurationRecorder starts a stopped AWS Config recorder again. The
// plan's parameters are ConfigurationRecorderName and Region.
var StartConfigurationRecorder = register(&Action{
	ID:      "config:StartConfigurationRecorder",
	Summary: "start recording again on exactly the stopped AWS Config recorder, in its Region",
	Calls: []Call{
		{Op: "config:DescribeConfigurationRecorderStatus", On: []*Resource{ConfigRecorders}},
		{Op: "config:StartConfigurationRecorder", On: []*Resource{ConfigRecorders}, Changes: true},
	},
	Check:       "reads the recorder's status (DescribeConfigurationRecorderStatus)",
	AlreadyDone: "the recorder is recording (a recorder deleted since is reported as not rolled back, with the commands to recreate it)",
	Undo:        "config:StopConfigurationRecorder",
})
