// Package notify turns a finding and what iamguard did about it into one SNS
// message that reads well on every kind of subscription, and publishes it.
//
// It decides what people are told and in what shape:
//
//   - the email subject: "[SEVERITY] summary", plus " - rolled back" (or
//     " - rollback FAILED", " - already undone", " - dry run") when iamguard
//     acted; ASCII only, no control characters or line breaks, at most 99
//     characters, as SNS requires of a Subject ("ASCII text that begins with a
//     letter, number, or punctuation mark; must not include line breaks or
//     control characters; and must be less than 100 characters long");
//   - the plain-text email: what happened, who, when, where, why it is
//     dangerous (with the policy document, pretty-printed), what iamguard did,
//     how to undo that or, when it did nothing, the rollback an operator may
//     run and its undo, a CloudTrail console link, how to exempt, the rule;
//   - an Amazon Q Developer in chat applications (formerly AWS Chatbot) custom
//     notification for the "https" protocol, which is how Chatbot subscribes;
//     Chatbot drops any other message published to a topic;
//   - the machine form (FindingJSON) for "default", "sqs" and "lambda";
//   - the String message attributes severity, rule, account, status and
//     eventName, for subscription filter policies.
//
// The Chatbot shape follows
// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html:
// "version" must be "1.0" and "source" must be "custom" (the only required
// fields), textType supports only "client-markdown", and metadata.threadId
// threads updates when the channel allows it. The stored copy of that page
// that could be checked does not show per-field length limits, so the limits
// here are conservative choices rather than documented maxima: a title of at
// most 250 characters, a description of at most 3,000 (Slack's limit for the
// text of one section block, the smallest of the chat limits it may land in),
// and next steps of at most 1,000 characters each. A command too long for a
// next step is never cut (a cut command is wrong, not short): the step says
// where to find it whole.
//
// SNS takes at most 262,144 bytes per message, counting every protocol's body
// together (and, conservatively here, the subject and attributes too). When a
// finding does not fit, for a huge inline policy document, Build truncates
// the document in every protocol body, saying so ("document truncated: N
// bytes; full document in the CloudTrail event ID"), and replaces it in CLI
// commands with file://policy.json; if that is not enough it shortens the
// reasons, then every other free text. It never drops the alert.
//
// It must never: add anything from the environment or configuration values to
// a message (a finding carries no secrets, and nothing else is added); let a
// CloudTrail field (an attacker can choose a user agent or a user name) break
// out of its place in chat markdown; print a truncated command as if it were
// runnable; or read the environment. Errors from Publish name the event and
// the topic and wrap the SDK error, so callers can branch on smithy.APIError.
package notify
