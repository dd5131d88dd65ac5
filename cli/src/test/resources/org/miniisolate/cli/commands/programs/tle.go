package main

var sink uint64

func main() {
	for {
		sink++
	}
}
