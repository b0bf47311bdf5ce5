package action

// IAM is global: its resources have no Region, and every one of them below
// belongs to the account the stack is deployed in, except AWS managed
// policies, which AWS publishes to every account.
var (
	// IAMUsers are the account's IAM users.
	IAMUsers = &Resource{
		Name: "IAM users", ARN: "arn:{partition}:iam::{account}:user/*", Taggable: true,
		Why: "iamguard acts on whichever of this account's IAM users a flagged change names (the user of a new access key, or the user " +
			"a policy was attached to or written on), known only when the event arrives. The ARN covers only this account's users, the " +
			"actions are exactly the calls the code makes, and every change is conditioned on the user not being tagged %[1]s=true.",
	}
	// IAMRoles are the account's IAM roles.
	IAMRoles = &Resource{
		Name: "IAM roles", ARN: "arn:{partition}:iam::{account}:role/*", Taggable: true,
		Why: "iamguard acts on whichever of this account's IAM roles a flagged policy change names, known only when the event arrives. " +
			"The ARN covers only this account's roles, the actions are exactly the calls the code makes, and every change is conditioned " +
			"on the role not being tagged %[1]s=true.",
	}
	// IAMGroups are the account's IAM groups, which cannot carry tags.
	IAMGroups = &Resource{
		Name: "IAM groups", ARN: "arn:{partition}:iam::{account}:group/*",
		Why: "iamguard acts on whichever of this account's IAM groups a flagged policy change names, known only when the event arrives. " +
			"The ARN covers only this account's groups and the actions are exactly the calls the code makes; IAM groups cannot carry " +
			"tags, so exempt a group with the exemptTargets context key.",
	}
	// IAMPolicies are the account's customer managed policies.
	IAMPolicies = &Resource{
		Name: "customer managed policies", ARN: "arn:{partition}:iam::{account}:policy/*", Taggable: true,
		Why: "iamguard reads, and restores the previous default version of, whichever of this account's customer managed policies a " +
			"flagged change names, known only when the event arrives. The ARN covers only this account's policies, and the change is " +
			"conditioned on the policy not being tagged %[1]s=true.",
	}
	// AWSManagedPolicies are the policies AWS publishes to every account.
	AWSManagedPolicies = &Resource{
		Name: "AWS managed policies", ARN: "arn:{partition}:iam::aws:policy/*",
		Why: "Read-only (iam:GetPolicy, iam:GetPolicyVersion) on AWS managed policies, documents AWS publishes to every account, " +
			"to judge a managed policy that the embedded snapshot does not know yet.",
	}
)

// PolicyDocumentLookups are the reads that resolve a managed policy's
// document in the Lambda: the default version, then its document.
var PolicyDocumentLookups = []Call{
	{Op: "iam:GetPolicy", On: []*Resource{IAMPolicies, AWSManagedPolicies}},
	{Op: "iam:GetPolicyVersion", On: []*Resource{IAMPolicies, AWSManagedPolicies}},
}

// iamTagRead is the exempt-tag read of a principal or policy kind.
func iamTagRead(r *Resource) []Call {
	switch r {
	case IAMUsers:
		return []Call{{Op: "iam:ListUserTags", On: []*Resource{r}}}
	case IAMRoles:
		return []Call{{Op: "iam:ListRoleTags", On: []*Resource{r}}}
	case IAMPolicies:
		return []Call{{Op: "iam:ListPolicyTags", On: []*Resource{r}}}
	}
	return nil // groups cannot carry tags: exempt them by pattern
}

func calls(parts ...[]Call) []Call {
	var out []Call
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// The IAM response actions.
var (
	// UpdateAccessKey deactivates one access key of a user.
	UpdateAccessKey = register(&Action{
		ID:      "iam:UpdateAccessKey",
		Summary: "deactivate exactly that access key (never delete it)",
		Calls: calls([]Call{{Op: "iam:GetAccessKeyLastUsed", On: []*Resource{IAMUsers}}}, iamTagRead(IAMUsers),
			[]Call{{Op: "iam:ListAccessKeys", On: []*Resource{IAMUsers}}, {Op: "iam:UpdateAccessKey", On: []*Resource{IAMUsers}, Changes: true}}),
		Check:       "finds the key's user (GetAccessKeyLastUsed) when the plan names only the key, then lists the user's access keys",
		AlreadyDone: "the key is inactive, or the user or key no longer exists",
		Undo:        "iam:UpdateAccessKey",
	})

	// DetachUserPolicy, DetachRolePolicy and DetachGroupPolicy detach a
	// managed policy from a principal.
	DetachUserPolicy  = register(detach("User", IAMUsers))
	DetachRolePolicy  = register(detach("Role", IAMRoles))
	DetachGroupPolicy = register(detach("Group", IAMGroups))

	// DeleteUserPolicy, DeleteRolePolicy and DeleteGroupPolicy delete an
	// inline policy from a principal, when it still holds the flagged document.
	DeleteUserPolicy  = register(deleteInline("User", IAMUsers))
	DeleteRolePolicy  = register(deleteInline("Role", IAMRoles))
	DeleteGroupPolicy = register(deleteInline("Group", IAMGroups))

	// SetDefaultPolicyVersion makes another version of a customer managed
	// policy its default again.
	SetDefaultPolicyVersion = register(&Action{
		ID: "iam:SetDefaultPolicyVersion",
		Summary: "set the policy's default version back to the previous default when the stream showed it, else to the newest " +
			"other version (older or newer) whose document rates below medium",
		Calls: calls(iamTagRead(IAMPolicies), []Call{
			{Op: "iam:ListPolicyVersions", On: []*Resource{IAMPolicies}},
			{Op: "iam:GetPolicyVersion", On: []*Resource{IAMPolicies}},
			{Op: "iam:SetDefaultPolicyVersion", On: []*Resource{IAMPolicies}, Changes: true},
		}),
		Check: "lists the policy's versions; when the stream did not show the previous default, reads the other versions' documents, " +
			"newest first, and picks the first rated below medium",
		AlreadyDone: "the default is no longer the flagged version, or the policy no longer exists",
		Undo:        "iam:SetDefaultPolicyVersion",
	})
)

func detach(kind string, on *Resource) *Action {
	return &Action{
		ID:          "iam:Detach" + kind + "Policy",
		Summary:     "detach the managed policy from the " + lower(kind),
		Calls:       calls(iamTagRead(on), []Call{{Op: "iam:Detach" + kind + "Policy", On: []*Resource{on}, Changes: true}}),
		Check:       "none: the detach itself says whether the policy was attached",
		AlreadyDone: "IAM answers NoSuchEntity (not attached, or the " + lower(kind) + " is gone)",
		Undo:        "iam:Attach" + kind + "Policy",
	}
}

func deleteInline(kind string, on *Resource) *Action {
	return &Action{
		ID:      "iam:Delete" + kind + "Policy",
		Summary: "delete the inline policy from the " + lower(kind) + ", keeping its document in the alert",
		Calls: calls(iamTagRead(on), []Call{
			{Op: "iam:Get" + kind + "Policy", On: []*Resource{on}},
			{Op: "iam:Delete" + kind + "Policy", On: []*Resource{on}, Changes: true},
		}),
		Check:       "reads the inline policy and compares its document with the flagged one, by value",
		AlreadyDone: "the policy no longer exists, or its document changed since the event (then iamguard leaves it alone)",
		Undo:        "iam:Put" + kind + "Policy",
	}
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// DeleteLoginProfile deletes the console password of a user that another
// principal gave one: the second door beside the user's keys.
var DeleteLoginProfile = register(&Action{
	ID:      "iam:DeleteLoginProfile",
	Summary: "delete the console password another principal created for the user",
	Calls: calls(iamTagRead(IAMUsers), []Call{
		{Op: "iam:GetLoginProfile", On: []*Resource{IAMUsers}},
		{Op: "iam:DeleteLoginProfile", On: []*Resource{IAMUsers}, Changes: true},
	}),
	Check:       "reads the user's login profile (GetLoginProfile)",
	AlreadyDone: "the user has no login profile (NoSuchEntity), or its profile was created after the event (someone set a new one since: left alone)",
	Undo:        "iam:CreateLoginProfile",
})

// The plan parameters of UpdateAssumeRolePolicy that are not the CLI's (its
// command leaves them out): the trusted set the rule judged with, which the
// executor judges the current document with again.
const (
	ParamAccount         = "Account"
	ParamTrustedAccounts = "TrustedAccounts"
	ParamTrustedOrgID    = "TrustedOrgId"
)

// UpdateAssumeRolePolicy trims a role's trust policy: it removes exactly the
// principals (or statements) that let in someone outside the trusted set,
// from the trust policy in effect when it acts.
var UpdateAssumeRolePolicy = register(&Action{
	ID:      "iam:UpdateAssumeRolePolicy",
	Summary: "remove from the role's current trust policy exactly the principals that let in someone outside the trusted set",
	Calls: calls(iamTagRead(IAMRoles), []Call{
		{Op: "iam:GetRole", On: []*Resource{IAMRoles}},
		{Op: "iam:UpdateAssumeRolePolicy", On: []*Resource{IAMRoles}, Changes: true},
	}),
	Check:       "reads the role's current trust policy (GetRole) and judges it again with the same trusted set",
	AlreadyDone: "the current trust policy lets in no one outside the trusted set, or the role no longer exists",
	Undo:        "iam:UpdateAssumeRolePolicy",
})

// GroupPolicyLookups are the reads that find a group's policies in the
// Lambda: the managed policies attached to it, its inline policies' names,
// and each inline document (the managed documents come through
// PolicyDocumentLookups).
var GroupPolicyLookups = []Call{
	{Op: "iam:ListAttachedGroupPolicies", On: []*Resource{IAMGroups}},
	{Op: "iam:ListGroupPolicies", On: []*Resource{IAMGroups}},
	{Op: "iam:GetGroupPolicy", On: []*Resource{IAMGroups}},
}

// RemoveUserFromGroup takes a user back out of a group that grants high or
// critical access.
var RemoveUserFromGroup = register(&Action{
	ID:      "iam:RemoveUserFromGroup",
	Summary: "remove the user from the group it was added to",
	Calls: calls(iamTagRead(IAMUsers), []Call{
		{Op: "iam:ListGroupsForUser", On: []*Resource{IAMUsers}},
		{Op: "iam:RemoveUserFromGroup", On: []*Resource{IAMGroups}, Changes: true},
	}),
	Check:       "lists the user's groups (ListGroupsForUser)",
	AlreadyDone: "the user is no longer in the group, or the user no longer exists",
	Undo:        "iam:AddUserToGroup",
})
