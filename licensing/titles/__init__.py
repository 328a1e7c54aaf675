"""Changes of title of a licence: extension, relinquishment, transfer, surrender. Each kind is a
module registering a `licensing.titles.kinds.Kind`; `licensing.titles.services` lodges, withdraws,
recommends and decides them (four eyes) whatever their kind."""
