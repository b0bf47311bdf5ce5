package action

// GuardDutyDetectors are the account's GuardDuty detectors, in every Region
// the stack watches (one per Region).
var GuardDutyDetectors = &Resource{
	Name: "GuardDuty detectors", ARN: "arn:{partition}:guardduty:{region}:{account}:detector/*", Taggable: true,
	Why: "iamguard enables again the GuardDuty detector an attacker disabled, known only when the UpdateDetector event arrives. " +
		"The ARN covers only this account's detectors in the Regions the stack watches, the actions are exactly the calls the code " +
		"makes (read the detector, enable it), and UpdateDetector is conditioned on the detector not being tagged %[1]s=true " +
		"(GuardDuty evaluates aws:ResourceTag on detectors).",
}

// EnableDetector enables a disabled GuardDuty detector again. The plan's
// parameters are DetectorId and Region.
var EnableDetector = register(&Action{
	ID:      "guardduty:UpdateDetector",
	Summary: "enable again exactly the GuardDuty detector that was disabled, in its Region",
	Calls: []Call{
		{Op: "guardduty:GetDetector", On: []*Resource{GuardDutyDetectors}},
		{Op: "guardduty:UpdateDetector", On: []*Resource{GuardDutyDetectors}, Changes: true},
	},
	Check:       "reads the detector (GetDetector): its status and tags",
	AlreadyDone: "the detector is enabled (a detector deleted since is reported as not rolled back, with the command to recreate it)",
	Undo:        "guardduty:UpdateDetector",
})
