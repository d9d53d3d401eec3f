"""A tiny inventory: the sample file kiro-proto opens for you to edit."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Item:
    name: str
    price: float
    quantity: int = 0

    @property
    def value(self) -> float:
        return self.price * self.quantity


@dataclass
class Inventory:
    items: dict[str, Item] = field(default_factory=dict)

    def add(self, name: str, price: float, quantity: int = 1) -> Item:
        item = self.items.get(name)
        if item is None:
            item = self.items[name] = Item(name, price)
        item.quantity += quantity
        return item

    def remove(self, name: str, quantity: int = 1) -> None:
        item = self.items[name]
        if quantity > item.quantity:
            raise ValueError(f"only {item.quantity} {name} left")
        item.quantity -= quantity

    def total(self) -> float:
        return sum(item.value for item in self.items.values())


if __name__ == "__main__":
    stock = Inventory()
    stock.add("apple", 0.5, 12)
    stock.add("pear", 0.75, 4)
    print(f"total value: {stock.total():.2f}")
