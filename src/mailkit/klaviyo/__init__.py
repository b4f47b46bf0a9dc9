"""Export rendered templates to email service providers (Klaviyo)."""
