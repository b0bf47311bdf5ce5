package action

// CloudTrailTrails are the account's trails, in every Region the stack
// watches: a trail's home Region is where its events are logged and where it
// must be started again.
var CloudTrailTrails = &Resource{
	Name: "CloudTrail trails", ARN: "arn:{partition}:cloudtrail:{region}:{account}:trail/*", Taggable: true,
	Why: "iamguard starts logging again on whichever of this account's trails an attacker stopped, known only when the StopLogging " +
		"event arrives. The ARN covers only this account's trails in the Regions the stack watches, the actions are exactly the calls " +
		"the code makes, and StartLogging is conditioned on the trail not being tagged %[1]s=true (CloudTrail evaluates " +
		"aws:ResourceTag on trails: Service Authorization Reference, AWS CloudTrail, resource type trail).",
}

// StartLogging starts a stopped trail again, in its home Region. The plan's
// parameters are Name (the trail's name or ARN, as the event gave it) and
// Region (its home Region, where StartLogging must be called).
var StartLogging = register(&Action{
	ID:      "cloudtrail:StartLogging",
	Summary: "start logging again on exactly the stopped trail, in its home Region",
	Calls: []Call{
		{Op: "cloudtrail:GetTrail", On: []*Resource{CloudTrailTrails}},
		{Op: "cloudtrail:ListTags", On: []*Resource{CloudTrailTrails}},
		{Op: "cloudtrail:GetTrailStatus", On: []*Resource{CloudTrailTrails}},
		{Op: "cloudtrail:StartLogging", On: []*Resource{CloudTrailTrails}, Changes: true},
	},
	Check:       "reads the trail's ARN (GetTrail) for its tags, then its status (GetTrailStatus)",
	AlreadyDone: "the trail is logging (a trail deleted since is reported as not rolled back, with the commands to recreate it)",
	Undo:        "cloudtrail:StopLogging",
})
