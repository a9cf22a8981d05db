print("ardesk")
