"""The action ids of the Home tab's own parts (the features' sections carry their own)."""

HOME_PICK_TOPIC = "home.pick_topic"
"""The topic menu of the Home tab; opens that topic's card in a modal (views.open)."""
