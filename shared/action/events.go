package action

// IamguardRules are the stack's own EventBridge rules, in every Region the
// stack watches: the main stack's (named "<stack>-…") and the forwarding
// stacks' ("<stack>Forward-…").
var IamguardRules = &Resource{
	Name: "iamguard EventBridge rules", ARN: "arn:{partition}:events:{region}:{account}:rule/{stack}*",
	Why: "iamguard enables again whichever of its own rules someone disabled, known only when the DisableRule event arrives. " +
		"The ARN covers only the rules named after the stack, in this account and the Regions the stack watches, and the actions " +
		"are exactly the calls the code makes (read the rule, enable it).",
}

// EnableRule enables one of iamguard's own EventBridge rules again. The
// plan's parameters are Name (the rule's name) and Region (where it is).
var EnableRule = register(&Action{
	ID:      "events:EnableRule",
	Summary: "enable again exactly the iamguard rule that was disabled, in its Region",
	Calls: []Call{
		{Op: "events:DescribeRule", On: []*Resource{IamguardRules}},
		{Op: "events:EnableRule", On: []*Resource{IamguardRules}, Changes: true},
	},
	Check:       "reads the rule's state (DescribeRule)",
	AlreadyDone: "the rule is enabled (a rule deleted since is reported as not rolled back: redeploy the stack)",
	Undo:        "events:DisableRule",
})
