"""Document exchange: unit folders, the franchisor's network library, versions, must-read."""
