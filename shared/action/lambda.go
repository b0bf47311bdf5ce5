package action

// IamguardFunctions are the stack's own Lambda functions (named
// "<stack>-…").
var IamguardFunctions = &Resource{
	Name: "iamguard functions", ARN: "arn:{partition}:lambda:{region}:{account}:function:{stack}*",
	Why: "iamguard lifts a zero concurrency limit that someone put on one of its own functions, known only when the " +
		"PutFunctionConcurrency event arrives. The ARN covers only the functions named after the stack, in this account, and the " +
		"actions are exactly the calls the code makes (read the limit, remove it).",
}

// DeleteFunctionConcurrency removes a reserved concurrency of 0 (a stop)
// from one of iamguard's functions. The plan's parameters are FunctionName
// and Region.
var DeleteFunctionConcurrency = register(&Action{
	ID:      "lambda:DeleteFunctionConcurrency",
	Summary: "remove the zero concurrency limit from exactly the iamguard function that was stopped",
	Calls: []Call{
		{Op: "lambda:GetFunctionConcurrency", On: []*Resource{IamguardFunctions}},
		{Op: "lambda:DeleteFunctionConcurrency", On: []*Resource{IamguardFunctions}, Changes: true},
	},
	Check:       "reads the function's reserved concurrency (GetFunctionConcurrency)",
	AlreadyDone: "the function's reserved concurrency is no longer 0 (removed, or set to another value since: left alone)",
	Undo:        "lambda:PutFunctionConcurrency",
})
