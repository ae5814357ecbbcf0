"""Tasks the franchisor assigns to units, and requests units send to the franchisor."""
