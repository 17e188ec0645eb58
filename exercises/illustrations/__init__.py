"""Exercise pictures drawn from data: a side-view pose model (`pose`), the props a patient
uses (`props`) and an SVG renderer (`renderer`). Pure Python, no Django models: the library
file stores each exercise's start and end pose, and these modules turn them into pictures."""
