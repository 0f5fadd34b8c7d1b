"""What each page shows, read through the services and the scope helpers; views only render these."""
