"""What the bot says when something on its side is not there: the same words from every feature."""

TRY_AGAIN = "I couldn't reach my database just now — please try again in a moment."
NOT_RECORDED = "I couldn't confirm your answer was recorded — please press it again in a moment to check."
