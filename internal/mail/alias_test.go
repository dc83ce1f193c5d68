package mail

import "github.com/pam-ai/pam/internal/pam"

type pamMessage = pam.Message
