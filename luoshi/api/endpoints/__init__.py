"""The API's endpoints, one router per area of the product."""
