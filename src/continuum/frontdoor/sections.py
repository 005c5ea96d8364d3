"""The front door's part of a child's record: referrals, decisions and where they went."""
