# apps package of the city sensor firmware
