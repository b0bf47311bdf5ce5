package action

// AlertKeyTag marks the stack's alert key: the KMS actions act only on keys
// carrying it.
const AlertKeyTag = "iamguard:component=alert-key"

// AlertKeys are the KMS keys tagged AlertKeyTag (the stack's alert key).
var AlertKeys = &Resource{
	Name: "iamguard alert keys", ARN: "arn:{partition}:kms:{region}:{account}:key/*", RequireTag: AlertKeyTag,
	Why: "iamguard enables its own alert key again, and cancels its deletion, when someone disabled it or scheduled it for deletion; " +
		"without it the topic delivers no alert at all. KMS key ARNs carry a random ID, so the statement names every key of the " +
		"account in the watched Regions but is conditioned on aws:ResourceTag " + AlertKeyTag + ", which only the stack's key carries.",
}

// EnableKey enables a disabled alert key again. The plan's parameters are
// KeyId and Region.
var EnableKey = register(&Action{
	ID:      "kms:EnableKey",
	Summary: "enable the stack's alert key again, in its Region",
	Calls: []Call{
		{Op: "kms:DescribeKey", On: []*Resource{AlertKeys}},
		{Op: "kms:EnableKey", On: []*Resource{AlertKeys}, Changes: true},
	},
	Check:       "reads the key's state (DescribeKey)",
	AlreadyDone: "the key is enabled (a key pending deletion is left to the CancelKeyDeletion action)",
	Undo:        "kms:DisableKey",
})

// CancelKeyDeletion cancels the scheduled deletion of the alert key and
// enables it (a cancelled key is left disabled). The plan's parameters are
// KeyId and Region.
var CancelKeyDeletion = register(&Action{
	ID:      "kms:CancelKeyDeletion",
	Summary: "cancel the scheduled deletion of the stack's alert key and enable it again, in its Region",
	Calls: []Call{
		{Op: "kms:DescribeKey", On: []*Resource{AlertKeys}},
		{Op: "kms:CancelKeyDeletion", On: []*Resource{AlertKeys}, Changes: true},
		{Op: "kms:EnableKey", On: []*Resource{AlertKeys}, Changes: true},
	},
	Check:       "reads the key's state (DescribeKey)",
	AlreadyDone: "the key is enabled",
	// ScheduleKeyDeletion puts the key back where it was, pending deletion,
	// whether or not it is enabled.
	Completes: []string{"kms:EnableKey"},
	Undo:      "kms:ScheduleKeyDeletion",
})
